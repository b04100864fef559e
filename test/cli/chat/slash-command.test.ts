import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSlashCommand } from "../../../src/cli/chat/slash-command.js";

describe("parseSlashCommand", () => {
  it.each([
    ["/model gpt-4o", { name: "model", argument: "gpt-4o" }],
    ["  /model   bedrock/anthropic.claude-3-haiku  ", { name: "model", argument: "bedrock/anthropic.claude-3-haiku" }],
    ["/model", { name: "model", argument: "" }],
    ["/system You are terse.  Very.", { name: "system", argument: "You are terse.  Very." }],
    ["/SYSTEM two\nlines", { name: "system", argument: "two\nlines" }],
    ["/clear", { name: "clear" }],
    ["/help", { name: "help" }],
    ["/exit", { name: "exit" }],
    ["/quit", { name: "exit" }],
    ["/", { name: "unknown", typed: "/" }],
    ["/mdoel x", { name: "unknown", typed: "/mdoel" }],
  ])("reads %j", (line, command) => {
    expect(parseSlashCommand(line)).toEqual(command);
  });

  it("leaves text that does not start with a slash to be sent", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.trim().startsWith("/"));
        expect(parseSlashCommand(text)).toBeUndefined();
      }),
    );
  });

  it("reads every line that starts with a slash as some command", () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(parseSlashCommand(`/${rest}`)).toBeDefined();
      }),
    );
  });
});
