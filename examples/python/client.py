#!/usr/bin/env python3
"""Calls open-bedrock's ChatService over gRPC with stubs generated from proto/.

    examples/python/generate.sh
    /usr/bin/python3 examples/python/client.py --target 127.0.0.1:8000 "Hello!"

The key comes from --api-key, else from the API_KEY environment variable.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

try:
    import grpc
    from google.protobuf import struct_pb2
except ImportError as missing:
    sys.exit(
        f"{missing}: this Python ({sys.executable}) has no grpcio or protobuf. On Debian, use /usr/bin/python3 "
        "after `apt-get install python3-grpcio python3-protobuf`; elsewhere, `pip install grpcio protobuf`."
    )
try:
    from openbedrock.v1 import chat_pb2, chat_pb2_grpc
except ImportError:
    sys.exit("The stubs are missing: run examples/python/generate.sh first.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prompt", nargs="?", default="Say hello in five words.")
    parser.add_argument("--target", default="127.0.0.1:8000", help="host:port of the server")
    parser.add_argument("--api-key", default=os.environ.get("API_KEY", ""), help="client key (default: $API_KEY)")
    parser.add_argument("--model", default="gpt-4o-mini")
    args = parser.parse_args()

    metadata = [("authorization", f"Bearer {args.api_key}")]
    with grpc.insecure_channel(args.target) as channel:
        chat = chat_pb2_grpc.ChatServiceStub(channel)

        models = chat.ListModels(chat_pb2.ListModelsRequest(), metadata=metadata, timeout=30)
        print("models:", ", ".join(model.id for model in models.data))

        # Tool parameters are a JSON Schema in a google.protobuf.Struct.
        parameters = struct_pb2.Struct()
        parameters.update({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
        request = chat_pb2.ChatCompletionRequest(
            model=args.model,
            messages=[
                chat_pb2.Message(role="system", content="You are brief."),
                chat_pb2.Message(role="user", content=args.prompt),
            ],
            temperature=0.2,
            max_tokens=200,
            tools=[
                chat_pb2.Tool(
                    type="function",
                    function=chat_pb2.FunctionDefinition(
                        name="get_weather", description="Weather for a city", parameters=parameters
                    ),
                )
            ],
        )

        answer = chat.CreateChatCompletion(request, metadata=metadata, timeout=60)
        choice = answer.choices[0]
        print("unary:", choice.message.content, f"[{choice.finish_reason}]")
        print("usage:", answer.usage.prompt_tokens, "+", answer.usage.completion_tokens, "tokens")

        request.stream_options.include_usage = True
        print("stream: ", end="", flush=True)
        for chunk in chat.StreamChatCompletion(request, metadata=metadata, timeout=60):
            for choice in chunk.choices:
                if choice.delta.HasField("content"):
                    print(choice.delta.content, end="", flush=True)
            if chunk.HasField("usage"):
                print(f"\nstream usage: {chunk.usage.total_tokens} tokens")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        sys.exit(1)
