#!/usr/bin/env sh
# Builds examples/go/build/client from client.go and stubs generated from the
# repository's proto/, offline, with Debian's packages only (no module
# download): golang-go, golang-google-grpc-dev, golang-google-protobuf-dev,
# golang-github-golang-protobuf-1-5-dev, protoc-gen-go, protoc-gen-go-grpc,
# protobuf-compiler. Without golang-github-golang-protobuf-1-5-dev, grpc's
# codec uses the older protobuf runtime, and the first answer panics.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto="$here/../../proto"
work="$here/build"
package=openbedrock-example/client
source="$work/src/$package"
rm -rf "$source"
mkdir -p "$source/gen"
cp "$here/client.go" "$source/"
# The stubs' Go import path, given here since the proto names none.
mapping="Mopenbedrock/v1/chat.proto=$package/gen/openbedrock/v1"
protoc -I "$proto" -I /usr/include \
  --go_out="$source/gen" --go_opt=paths=source_relative --go_opt="$mapping" \
  --go-grpc_out="$source/gen" --go-grpc_opt=paths=source_relative --go-grpc_opt="$mapping" \
  "$proto/openbedrock/v1/chat.proto"
# GOPATH mode: the client under $work, the libraries from Debian's /usr/share/gocode.
GO111MODULE=off GOPROXY=off GOPATH="$work:/usr/share/gocode" GOCACHE="$work/cache" \
  go build -o "$work/client" "$package"
echo "built $work/client"
