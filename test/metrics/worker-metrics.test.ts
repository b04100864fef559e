import { describe, expect, it } from "vitest";
import { GatewayMetrics } from "../../src/metrics/gateway-metrics.js";
import { mergeMetricsReports, metricsReport, sumMetricTexts } from "../../src/metrics/worker-metrics.js";
import { parsePrometheusText, samplesOf } from "../helpers/prometheus-text.js";

const first = `# HELP calls_total Calls.
# TYPE calls_total counter
calls_total{outcome="ok"} 2
calls_total{outcome="odd value, with spaces {}"} 1
# HELP in_flight Calls running.
# TYPE in_flight gauge
in_flight 1
`;
const second = `# HELP calls_total Calls.
# TYPE calls_total counter
calls_total{outcome="ok"} 3
calls_total{outcome="error"} 4
# HELP in_flight Calls running.
# TYPE in_flight gauge
in_flight 2
# HELP only_here Seen in one text.
# TYPE only_here histogram
only_here_bucket{le="+Inf"} 1
only_here_sum 0.25
only_here_count 1
`;

describe("sumMetricTexts", () => {
  it("adds each series up, keeps every family together under its HELP and TYPE, once", () => {
    expect(sumMetricTexts([first, second])).toBe(`# HELP calls_total Calls.
# TYPE calls_total counter
calls_total{outcome="ok"} 5
calls_total{outcome="odd value, with spaces {}"} 1
calls_total{outcome="error"} 4
# HELP in_flight Calls running.
# TYPE in_flight gauge
in_flight 3
# HELP only_here Seen in one text.
# TYPE only_here histogram
only_here_bucket{le="+Inf"} 1
only_here_sum 0.25
only_here_count 1
`);
  });

  it("answers a single text as it was", () => {
    expect(sumMetricTexts([second])).toBe(second);
  });
});

describe("mergeMetricsReports", () => {
  it("merges the workers' reports into one exposition, process metrics by prom-client's rules", async () => {
    const one = new GatewayMetrics();
    const two = new GatewayMetrics();
    for (const metrics of [one, two, two]) {
      const call = metrics.observer.begin("grpc", "chat");
      call.routed("openai", "gpt-4o-mini");
      call.end(0.2);
    }
    const merged = await mergeMetricsReports([await metricsReport(one), await metricsReport(two)]);
    expect(merged.contentType).toMatch(/^text\/plain/);
    const exposition = parsePrometheusText(merged.body);
    expect(samplesOf(exposition, "open_bedrock_requests_total")).toEqual([
      {
        name: "open_bedrock_requests_total",
        labels: { protocol: "grpc", operation: "chat", provider: "openai", model: "gpt-4o-mini", outcome: "ok" },
        value: 3,
      },
    ]);
    const durations = samplesOf(exposition, "open_bedrock_request_duration_seconds_count");
    expect(durations.map((sample) => sample.value)).toEqual([3]);
    // A process's start time cannot be added up: prom-client leaves it out of a merge.
    expect(samplesOf(exposition, "open_bedrock_process_start_time_seconds")).toEqual([]);
    expect(samplesOf(exposition, "open_bedrock_process_resident_memory_bytes")).toHaveLength(1);
  });
});
