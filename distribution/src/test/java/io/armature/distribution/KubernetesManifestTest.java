package io.armature.distribution;

import io.armature.samples.cli.ArmatureCli;
import io.armature.samples.cli.RemoteConnector;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Kubernetes cluster runs here, so this checks what can be checked without one: the manifests
 * parse, and their ports, probes, user, volumes and seed names agree with the Containerfile, the
 * image's entry point, the node's command line and the container test, which runs the same names.
 */
class KubernetesManifestTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object o, final String... path) {
        Object at = o;
        for (final String p : path) {
            at = ((Map<String, Object>) at).get(p);
            if (at == null) {
                throw new AssertionError("no " + String.join(".", path));
            }
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Map<String, Object> m, final String key) {
        return (List<Object>) m.get(key);
    }

    private static Map<String, Map<String, Object>> manifests() throws IOException {
        final Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        for (final Object doc : new Yaml().loadAll(Files.readString(REPOSITORY.resolve("dist/kubernetes/armature.yaml")))) {
            final Map<String, Object> m = map(doc);
            byKind.put((String) m.get("kind"), m);
        }
        assertEquals(List.of("Service", "StatefulSet", "PodDisruptionBudget"), List.copyOf(byKind.keySet()));
        return byKind;
    }

    private static String containerfile() throws IOException {
        return Files.readString(REPOSITORY.resolve("Containerfile"));
    }

    private static String one(final String text, final String regex) {
        final Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }

    private static Map<String, Object> container(final Map<String, Map<String, Object>> k) {
        return map(list(map(k.get("StatefulSet"), "spec", "template", "spec"), "containers").get(0));
    }

    private static Map<String, String> env(final Map<String, Object> container) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final Object o : list(container, "env")) {
            final Map<String, Object> e = map(o);
            env.put((String) e.get("name"), (String) e.get("value"));
        }
        return env;
    }

    @Test
    void theServiceIsHeadlessAndPublishesNotReadyPodsOnTheImagesPorts() throws IOException {
        final Map<String, Map<String, Object>> k = manifests();
        final Map<String, Object> service = map(k.get("Service"), "spec");
        assertEquals("None", service.get("clusterIP"), "headless: one DNS name per pod");
        assertEquals(true, service.get("publishNotReadyAddresses"), "a joining pod is reached by name before it is ready");
        assertEquals(map(k.get("Service"), "metadata").get("name"), map(k.get("StatefulSet"), "spec").get("serviceName"));

        final String exposed = one(containerfile(), "^EXPOSE (.*)$");
        final List<String> servicePorts = new ArrayList<>();
        for (final Object o : list(service, "ports")) {
            servicePorts.add(map(o).get("port") + "/" + ((String) map(o).get("protocol")).toLowerCase());
        }
        final List<String> containerPorts = new ArrayList<>();
        for (final Object o : list(container(k), "ports")) {
            containerPorts.add(map(o).get("containerPort") + "/" + ((String) map(o).get("protocol")).toLowerCase());
        }
        assertEquals(List.of(exposed.split(" ")), servicePorts, "Service ports = Containerfile EXPOSE");
        assertEquals(servicePorts, containerPorts, "container ports = Service ports");
        assertEquals(map(k.get("Service"), "spec", "selector"), map(k.get("StatefulSet"), "spec", "template", "metadata", "labels"));
    }

    @Test
    void probesAskTheNodesStatusPortForHealthAndReadiness() throws IOException {
        final Map<String, Object> c = container(manifests());
        final String port = env(c).get("ARMATURE_LISTEN").replaceAll(".*:", "");
        assertEquals("/ready", map(c, "readinessProbe", "httpGet").get("path"));
        assertEquals("/health", map(c, "livenessProbe", "httpGet").get("path"));
        assertEquals(port, String.valueOf(map(c, "readinessProbe", "httpGet").get("port")), "the status endpoint is TCP at the listen port");
        assertEquals(port, String.valueOf(map(c, "livenessProbe", "httpGet").get("port")));
        assertTrue(containerfile().contains("HEALTHCHECK") && containerfile().contains("dist/container/healthcheck"));
        assertTrue(Files.readString(REPOSITORY.resolve("dist/container/healthcheck")).contains("path=\"${1:-/health}\""));
        assertTrue(map(c, "resources", "requests").containsKey("cpu") && map(c, "resources", "requests").containsKey("memory"));
    }

    @Test
    void seedsAreTheStableDnsNamesAndTheContainerTestUsesTheSameNamesAndPort() throws IOException {
        final Map<String, Map<String, Object>> k = manifests();
        final String statefulSet = (String) map(k.get("StatefulSet"), "metadata").get("name");
        final String service = (String) map(k.get("StatefulSet"), "spec").get("serviceName");
        final Map<String, String> env = env(container(k));
        final String port = env.get("ARMATURE_LISTEN").replaceAll(".*:", "");
        assertEquals("$(POD_NAME)", env.get("ARMATURE_ID"));
        assertEquals("$(POD_NAME)." + service + ":" + port, env.get("ARMATURE_LISTEN"));
        assertEquals(statefulSet + "-0." + service + ":" + port, env.get("ARMATURE_SEEDS"),
            "pod 0 names itself (and creates the ring), the others name pod 0 and join");

        final String test = Files.readString(REPOSITORY.resolve("dist/container/test.sh"));
        assertEquals(service, one(test, "^service=(\\S+)"));
        assertEquals(port, one(test, "^port=(\\d+)"));
        assertEquals("(" + statefulSet + "-0 " + statefulSet + "-1 " + statefulSet + "-2)", one(test, "^names=(\\(.*\\))"));
        assertTrue(test.contains("\"ARMATURE_SEEDS=armature-0.$service:$port\""), "the container test seeds as the StatefulSet does");
    }

    @Test
    void theUserTheVolumesAndTheSharedMemoryAgreeWithTheImage() throws IOException {
        final Map<String, Map<String, Object>> k = manifests();
        final Map<String, Object> pod = map(k.get("StatefulSet"), "spec", "template", "spec");
        final String user = one(containerfile(), "^USER (\\d+):\\d+$");
        assertEquals(user, String.valueOf(map(pod, "securityContext").get("runAsUser")));
        assertEquals(user, String.valueOf(map(pod, "securityContext").get("fsGroup")), "the data volume is writable by the node");
        final String volume = one(containerfile(), "^VOLUME \\[\"(.*)\"\\]$");
        final Map<String, String> mounts = new LinkedHashMap<>();
        for (final Object o : list(container(k), "volumeMounts")) {
            mounts.put((String) map(o).get("mountPath"), (String) map(o).get("name"));
        }
        final Object claim = list(map(k.get("StatefulSet"), "spec"), "volumeClaimTemplates").get(0);
        assertEquals(map(claim, "metadata").get("name"), mounts.get(volume), "the claim is mounted at the image's VOLUME");
        assertEquals("shm", mounts.get("/dev/shm"));
        final Map<String, Object> shm = map(list(pod, "volumes").stream().filter(v -> "shm".equals(map(v).get("name"))).findFirst().orElseThrow());
        assertEquals("Memory", map(shm, "emptyDir").get("medium"));
        assertEquals("1Gi", map(shm, "emptyDir").get("sizeLimit"));
        assertTrue(containerfile().contains("--shm-size 1g"), "the same shared memory as the container's");
        assertTrue(Files.readString(REPOSITORY.resolve("dist/container/test.sh")).contains("--shm-size 1g"));

        final Map<String, Object> pdb = map(k.get("PodDisruptionBudget"), "spec");
        assertEquals(1, pdb.get("maxUnavailable"));
        assertEquals(map(k.get("StatefulSet"), "spec", "selector", "matchLabels"), map(pdb, "selector", "matchLabels"));
    }

    @Test
    void theArgumentsOfTheEntryPointTheManifestAndTheSystemdUnitAreValidNodeOptions() throws IOException {
        final Map<String, Object> c = container(manifests());
        final String entrypoint = Files.readString(REPOSITORY.resolve("dist/container/entrypoint"));
        assertTrue(entrypoint.contains("node --id \"$ARMATURE_ID\" --listen \"$ARMATURE_LISTEN\" --seeds \"$ARMATURE_SEEDS\""), entrypoint);
        final List<String> args = new ArrayList<>(List.of("node", "--id", "armature-1", "--listen", "armature-1.armature:7000",
            "--seeds", "armature-0.armature:7000", "--data-dir", "/var/lib/armature"));
        for (final Object a : list(c, "args")) {
            args.add((String) a);
        }
        parses(args);

        final String unit = Files.readString(REPOSITORY.resolve("dist/systemd/armature.service"));
        final Map<String, String> env = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(REPOSITORY.resolve("dist/systemd/armature.env"))) {
            if (!line.startsWith("#") && line.contains("=")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        String exec = one(unit, "^ExecStart=/opt/armature/bin/armature (.*)$");
        for (final Map.Entry<String, String> e : env.entrySet()) {
            exec = exec.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        parses(List.of(exec.split(" ")));
        assertEquals("143", one(unit, "^SuccessExitStatus=(\\d+)$"), "the JVM exits 143 on SIGTERM: a clean stop");
        assertEquals("SIGTERM", one(unit, "^KillSignal=(\\S+)$"));
    }

    private static void parses(final List<String> args) {
        final CommandLine cl = ArmatureCli.commandLine(new RemoteConnector());
        assertDoesNotThrow(() -> cl.parseArgs(args.toArray(String[]::new)), () -> "not valid 'armature' arguments: " + args);
    }
}
