#!/usr/bin/env sh
# Generates the Python message and gRPC stubs from the repository's proto/
# into ./gen (Debian: apt-get install protobuf-compiler protobuf-compiler-grpc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto="$here/../../proto"
mkdir -p "$here/gen"
protoc -I "$proto" -I /usr/include \
  --python_out="$here/gen" \
  --grpc_out="$here/gen" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  "$proto/openbedrock/v1/chat.proto"
echo "stubs written to $here/gen"
