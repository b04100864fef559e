/**
 * The fake upstreams as one set a person can run (scripts/fake-upstreams.ts):
 * the fake OpenAI, the fake Bedrock Runtime and the fake Bedrock control
 * plane, and the settings that point the server at them.
 */
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock } from "./fake-bedrock.js";
import { fakeFoundationModels, fakeInferenceProfiles } from "./fake-bedrock-catalog.js";
import { FakeBedrockControl } from "./fake-bedrock-control.js";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "./fake-openai.js";

export interface FakeUpstreamPorts {
  openai: number;
  bedrock: number;
  bedrockControl: number;
}

export const DEFAULT_FAKE_UPSTREAM_PORTS: FakeUpstreamPorts = { openai: 8101, bedrock: 8102, bedrockControl: 8103 };

export interface FakeUpstreams {
  openai: FakeOpenAI;
  bedrock: FakeBedrock;
  control: FakeBedrockControl;
  /** The server's settings (environment names) that point it at these fakes. */
  settings: Record<string, string>;
  /** The model ids each fake answers for. */
  models: { openai: string[]; bedrock: string[] };
  close(): Promise<void>;
}

/**
 * Starts the three fakes on these ports (0: any free port). Answers repeat
 * the caller's last message; streams send a word every `chunkDelayMs`, so a
 * person sees them stream.
 */
export async function startFakeUpstreams(ports: FakeUpstreamPorts, chunkDelayMs = 0): Promise<FakeUpstreams> {
  const openai = new FakeOpenAI();
  const bedrock = new FakeBedrock();
  const control = new FakeBedrockControl(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS);
  openai.defaultBehavior = { kind: "reply", chunkDelayMs };
  bedrock.defaultBehavior = { kind: "reply", frameDelayMs: chunkDelayMs };
  const close = async () => {
    await Promise.all([openai.close(), bedrock.close(), control.close()]);
  };
  try {
    await Promise.all([openai.start(ports.openai), bedrock.start(ports.bedrock), control.start(ports.bedrockControl)]);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    openai,
    bedrock,
    control,
    settings: {
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      BEDROCK_ENDPOINT_URL: bedrock.url,
      AWS_ENDPOINT_URL_BEDROCK: control.url,
      AWS_REGION: FAKE_AWS_REGION,
      AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
    },
    models: { openai: openai.models.map((model) => model.id), bedrock: bedrockChatModels() },
    close,
  };
}

/** The ids the fake Bedrock answers chat for: text models invocable on demand, and the system inference profiles. */
function bedrockChatModels(): string[] {
  const onDemand = fakeFoundationModels(FAKE_AWS_REGION)
    .filter((model) => model.outputModalities.includes("TEXT") && model.inferenceTypesSupported.includes("ON_DEMAND"))
    .map((model) => model.modelId);
  const profiles = fakeInferenceProfiles(FAKE_AWS_REGION)
    .filter((profile) => profile.type === "SYSTEM_DEFINED")
    .map((profile) => profile.inferenceProfileId);
  return [...onDemand, ...profiles];
}
