/**
 * deploy/kubernetes, checked without a cluster: every manifest the
 * kustomization names parses and validates against the Kubernetes schemas
 * (kubernetes-models), the Deployment sets only real settings with values
 * they take, the models file it mounts checks out, its probes reach real
 * routes of a running server, the drain
 * fits in the termination grace period, and the pieces point at each other.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, type IContainer, type IPodSpec, type IProbe, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { readModelsFile } from "../../src/config/read-models-file.js";
import { findSetting } from "../../src/config/settings.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { createHealthClient } from "../helpers/grpc-health-client.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BASE = join(ROOT, "deploy", "kubernetes");
const read = (path: string) => readFileSync(join(BASE, path), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: manifests are whatever the YAML holds until validated
type Manifest = Record<string, any>;

interface Kustomization {
  resources: string[];
  configMapGenerator: { name: string; files: string[] }[];
  images: { name: string }[];
}

const kustomization = parseAllDocuments(read("kustomization.yaml"))[0]?.toJS() as Kustomization;
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(file)).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.join("; ")}`);
    return document.toJS() as Manifest;
  }),
);

/** The model class of each kind the base uses: its schema validates the manifest. */
const MODELS: Record<string, new (data: Manifest) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment,
  "v1 Service": Service,
  "autoscaling/v2 HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
  "v1 ConfigMap": ConfigMap,
};

const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const deployment = byKind("Deployment")[0] as Manifest;
const pod = deployment.spec.template.spec as IPodSpec;
const container = pod.containers[0] as IContainer;
const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));

describe("deploy/kubernetes", () => {
  it("validates every manifest against the Kubernetes schemas, the generated ConfigMap too", () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(
      ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "Service"].sort(),
    );
    const generated = kustomization.configMapGenerator.map((generator) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: generator.name },
      data: Object.fromEntries(generator.files.map((file) => [file, read(file)])),
    }));
    for (const manifest of [...manifests, ...generated]) {
      const Model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
      expect(Model, `${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(
        () => new (Model as NonNullable<typeof Model>)(manifest).validate(),
        manifest.metadata?.name,
      ).not.toThrow();
    }
  });

  it("sets only real settings, each with a value the setting takes", () => {
    for (const [name, variable] of env) {
      const setting = findSetting(name);
      expect(setting, name).toBeDefined();
      if (variable.value !== undefined) expect(setting?.check?.(variable.value), name).toBeUndefined();
    }
    // Keys come from the Secret, never from the manifest itself.
    for (const name of ["API_KEYS", "OPENAI_API_KEY"]) {
      expect(env.get(name)?.valueFrom?.secretKeyRef?.name, name).toBe("open-bedrock-keys");
    }
    for (const [name, variable] of env) {
      if (findSetting(name)?.secret) expect(variable.value, name).toBeUndefined();
    }
  });

  it("ships a models file the server takes, as `config check` and the start read it", () => {
    // Its targets name only the environment's providers: nothing to set for it to check out.
    const file = readModelsFile(join(BASE, "models.yaml"), () => undefined);
    expect(file.models.map((model) => model.name)).toEqual(["smart"]);
    expect(file.warnings).toEqual([]);
  });

  it("mounts the models file from the generated ConfigMap where MODELS_FILE points", () => {
    const modelsFile = env.get("MODELS_FILE")?.value as string;
    const mount = container.volumeMounts?.find((volumeMount) => volumeMount.mountPath === dirname(modelsFile));
    expect(mount?.readOnly).toBe(true);
    const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.configMap?.name).toBe(kustomization.configMapGenerator[0]?.name);
    expect(kustomization.configMapGenerator[0]?.files).toContain(modelsFile.split("/").at(-1));
  });

  it("lets the drain finish before Kubernetes kills the pod: preStop, then SHUTDOWN_GRACE_MS, within the grace period", () => {
    const preStop = container.lifecycle?.preStop?.sleep?.seconds as number;
    const graceMs = Number(env.get("SHUTDOWN_GRACE_MS")?.value);
    expect(preStop).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + graceMs / 1000 + 1);
  });

  it("runs as the image's non-root user, on a read-only root filesystem, without privilege escalation", () => {
    const dockerfileUser = /^USER (\d+):(\d+)$/m.exec(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: Number(dockerfileUser?.[1]),
      runAsGroup: Number(dockerfileUser?.[2]),
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.resources?.requests).toHaveProperty("cpu");
    expect(container.resources?.limits).toHaveProperty("memory");
  });

  it("routes its Services to the container port, speaking h2c, so an L7 proxy balances each request", () => {
    const port = container.ports?.[0];
    expect(port?.containerPort).toBe(Number(env.get("PORT")?.value));
    const services = byKind("Service");
    expect(services.map((service) => service.spec.clusterIP)).toEqual([undefined, "None"]);
    for (const service of services) {
      expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
      for (const servicePort of service.spec.ports) {
        expect(servicePort.targetPort).toBe(port?.name);
        expect(servicePort.appProtocol).toBe("kubernetes.io/h2c");
      }
    }
  });

  it("scales and protects the Deployment it names", () => {
    const hpa = byKind("HorizontalPodAutoscaler")[0] as Manifest;
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: deployment.metadata.name,
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = byKind("PodDisruptionBudget")[0] as Manifest;
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(kustomization.images.map((image) => image.name)).toContain(container.image);
  });
});

describe("the Deployment's probes, against a running server", () => {
  const setup = useOpenAIGateway();

  const probes = Object.entries({
    startupProbe: container.startupProbe,
    readinessProbe: container.readinessProbe,
    livenessProbe: container.livenessProbe,
  }) as [string, IProbe | undefined][];

  it.each(probes)("%s reaches a real route on the serving port, and it answers healthy", async (name, probe) => {
    expect(probe, name).toBeDefined();
    const target = probe?.grpc?.port ?? probe?.httpGet?.port;
    const port = container.ports?.find((candidate) => candidate.containerPort === target || candidate.name === target);
    expect(port, `${name} port`).toBeDefined();
    if (probe?.grpc) {
      const health = createHealthClient(setup.gateway.url);
      try {
        expect(await health.check(probe.grpc.service ?? "")).toBe("SERVING");
      } finally {
        health.close();
      }
    } else {
      const response = await fetch(`${setup.gateway.url}${probe?.httpGet?.path}`);
      expect(response.status).toBe(200);
    }
  });
});
