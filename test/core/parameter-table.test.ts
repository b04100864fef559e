import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type OptionalKeys,
  type OptionalParameters,
  type ParameterTable,
  readParameters,
} from "../../src/core/parameter-table.js";

interface Body {
  model: string;
  temperature?: number;
  stop?: string[];
}

interface Input {
  temperature?: number;
  stop: string[];
}

describe("readParameters", () => {
  const table: OptionalParameters<Body, Input> = {
    temperature: (input) => input.temperature,
    stop: (input) => (input.stop.length > 0 ? input.stop : undefined),
  };

  it("reads every parameter a reader answers, and leaves out those answered undefined", () => {
    expect(readParameters(table, { temperature: 0.5, stop: ["x"] })).toEqual({ temperature: 0.5, stop: ["x"] });
    const empty = readParameters(table, { stop: [] });
    expect(empty).toEqual({});
    expect("temperature" in empty).toBe(false);
  });

  it("makes a body with its required fields written beside it", () => {
    const body: Body = { model: "m", ...readParameters(table, { temperature: 1, stop: [] }) };
    expect(body).toEqual({ model: "m", temperature: 1 });
  });

  it("types a table by its body: the optional keys, each reader answering its field's type", () => {
    expectTypeOf<OptionalKeys<Body>>().toEqualTypeOf<"temperature" | "stop">();
    expectTypeOf<ParameterTable<Body, Input>["stop"]>().toEqualTypeOf<(input: Input) => string[] | undefined>();
    expectTypeOf(readParameters(table, { stop: [] })).toExtend<Partial<Body>>();
    expectTypeOf(readParameters(table, { stop: [] })).not.toExtend<Body>();
  });
});

describe("readParameters order", () => {
  it("reads every parameter of the table once per call, in the table's order", () => {
    const read: string[] = [];
    const table: ParameterTable<Pick<Body, "stop" | "model">, null> = {
      stop: () => {
        read.push("stop");
        return [];
      },
      model: () => {
        read.push("model");
        return "";
      },
    };
    expect(Object.keys(readParameters(table, null))).toStrictEqual(["stop", "model"]);
    expect(read).toStrictEqual(["stop", "model"]);
  });
});
