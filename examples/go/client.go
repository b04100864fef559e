// Command client calls open-bedrock's ChatService over gRPC with stubs
// generated from proto/: ListModels, CreateChatCompletion and
// StreamChatCompletion. Build it with ./build.sh (Debian packages only, no
// module download), then:
//
//	examples/go/build/client -target 127.0.0.1:8000 "Hello!"
//
// The key comes from -api-key, else from the API_KEY environment variable.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	chat "openbedrock-example/client/gen/openbedrock/v1"
)

func main() {
	target := flag.String("target", "127.0.0.1:8000", "host:port of the server")
	apiKey := flag.String("api-key", os.Getenv("API_KEY"), "client key (default: $API_KEY)")
	model := flag.String("model", "gpt-4o-mini", "model to ask")
	flag.Parse()
	prompt := strings.Join(flag.Args(), " ")
	if prompt == "" {
		prompt = "Say hello in five words."
	}
	if err := run(*target, *apiKey, *model, prompt); err != nil {
		if s, ok := status.FromError(err); ok {
			fmt.Fprintf(os.Stderr, "error: %s: %s\n", s.Code(), s.Message())
		} else {
			fmt.Fprintf(os.Stderr, "error: %v\n", err)
		}
		os.Exit(1)
	}
}

func run(target, apiKey, model, prompt string) error {
	// The server's one port speaks HTTP/2 without TLS (prior knowledge), as gRPC clients do.
	conn, err := grpc.Dial(target, grpc.WithInsecure())
	if err != nil {
		return err
	}
	defer conn.Close()
	client := chat.NewChatServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+apiKey)

	models, err := client.ListModels(ctx, &chat.ListModelsRequest{})
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(models.Data))
	for _, m := range models.Data {
		ids = append(ids, m.Id)
	}
	fmt.Println("models:", strings.Join(ids, ", "))

	system, user := "You are brief.", prompt
	request := &chat.ChatCompletionRequest{
		Model: model,
		Messages: []*chat.Message{
			{Role: "system", Content: &system},
			{Role: "user", Content: &user},
		},
	}
	answer, err := client.CreateChatCompletion(ctx, request)
	if err != nil {
		return err
	}
	choice := answer.Choices[0]
	fmt.Printf("unary: %s [%s]\n", choice.Message.GetContent(), choice.GetFinishReason())

	request.StreamOptions = &chat.StreamOptions{IncludeUsage: true}
	stream, err := client.StreamChatCompletion(ctx, request)
	if err != nil {
		return err
	}
	fmt.Print("stream: ")
	for {
		chunk, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, c := range chunk.Choices {
			fmt.Print(c.Delta.GetContent())
		}
		if chunk.Usage != nil {
			fmt.Printf("\nstream usage: %d tokens\n", chunk.Usage.TotalTokens)
		}
	}
}
