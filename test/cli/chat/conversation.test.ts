import { describe, expect, it } from "vitest";
import { Conversation } from "../../../src/cli/chat/conversation.js";

describe("Conversation", () => {
  it("sends the system message, every finished exchange, then the new message", () => {
    const conversation = new Conversation("gpt-4o", "Be brief.");
    expect(conversation.messagesFor("one")).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "one" },
    ]);
    conversation.record("one", "answer one");
    expect(conversation.messagesFor("two")).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "one" },
      { role: "assistant", content: "answer one" },
      { role: "user", content: "two" },
    ]);
    expect(conversation.turnCount).toBe(1);
  });

  it("uses a changed system message from the next request on, and clear keeps it", () => {
    const conversation = new Conversation("");
    conversation.record("one", "answer one");
    conversation.system = "Answer in French.";
    expect(conversation.messagesFor("two")[0]).toEqual({ role: "system", content: "Answer in French." });
    conversation.clear();
    expect(conversation.messagesFor("three")).toEqual([
      { role: "system", content: "Answer in French." },
      { role: "user", content: "three" },
    ]);
  });

  it("does not keep a question until its answer is recorded", () => {
    const conversation = new Conversation("");
    conversation.messagesFor("cancelled question");
    expect(conversation.messagesFor("next")).toEqual([{ role: "user", content: "next" }]);
  });
});
