package dev.tokenservice.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tokenservice.k8s.Manifests.Doc;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * What the manifests promise an operator: a rollout that never drops below the desired count, a restricted pod,
 * bounded resources, consistent labels and selectors, and only the traffic the service needs.
 */
class ManifestPolicyTest {
    private final Deployment deployment = Manifests.deployment();
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container container = Manifests.container();
    private final Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();

    @Test
    void rolloutNeverGoesBelowTheDesiredCount() {
        assertThat(deployment.getSpec().getReplicas(), is(2));
        assertThat(deployment.getSpec().getStrategy().getType(), is("RollingUpdate"));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(), is(new IntOrString(0)));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge(), is(new IntOrString(1)));
    }

    @Test
    void everyResourceCarriesTheSameLabels() {
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "token-service",
                                            "app.kubernetes.io/instance", "token-service",
                                            "app.kubernetes.io/part-of", "token-service");
        List<Doc> docs = new ArrayList<>(Manifests.applied());
        docs.addAll(Manifests.examples());
        for (Doc doc : docs) {
            labels.forEach((k, v) -> assertThat(doc.toString(), doc.resource().getMetadata().getLabels(),
                                                hasEntry(k, v)));
        }
        labels.forEach((k, v) -> assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels(),
                                            hasEntry(k, v)));
        labels.forEach((k, v) -> assertThat(Manifests.kustomization().configMapGenerator().getFirst().options()
                                                    .labels(), hasEntry(k, v)));
    }

    @Test
    void everySelectorSelectsThePods() {
        assertThat(selector, is(Map.of("app.kubernetes.io/name", "token-service",
                                       "app.kubernetes.io/instance", "token-service")));
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        selector.forEach((k, v) -> assertThat(podLabels, hasEntry(k, v)));

        assertThat(Manifests.one(Service.class).getSpec().getSelector(), is(selector));
        assertThat(Manifests.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), is(selector));
        assertThat(Manifests.one(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels(), is(selector));
        assertThat(pod.getTopologySpreadConstraints().getFirst().getLabelSelector().getMatchLabels(), is(selector));
        HorizontalPodAutoscaler hpa = Manifests.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion(), is("apps/v1"));
        assertThat(hpa.getSpec().getScaleTargetRef().getKind(), is("Deployment"));
        assertThat(hpa.getSpec().getScaleTargetRef().getName(), is(deployment.getMetadata().getName()));
    }

    @Test
    void podIsRestricted() {
        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext.getRunAsNonRoot(), is(true));
        assertThat(podContext.getRunAsUser(), is(10001L));
        assertThat(podContext.getRunAsGroup(), is(10001L));
        assertThat(podContext.getFsGroup(), is(10001L));
        assertThat(podContext.getSeccompProfile().getType(), is("RuntimeDefault"));

        SecurityContext context = container.getSecurityContext();
        assertThat(context.getRunAsNonRoot(), is(true));
        assertThat(context.getRunAsUser(), is(10001L));
        assertThat(context.getReadOnlyRootFilesystem(), is(true));
        assertThat(context.getAllowPrivilegeEscalation(), is(false));
        assertThat(context.getPrivileged(), is(false));
        assertThat(context.getCapabilities().getDrop(), is(List.of("ALL")));
        assertThat(context.getCapabilities().getAdd(), is(List.of()));
        assertThat(context.getSeccompProfile().getType(), is("RuntimeDefault"));

        // the Secret files are 0440 root:10001, so the group must be the pod's
        pod.getVolumes().stream().filter(v -> v.getSecret() != null)
                .forEach(v -> assertThat(v.getName(), v.getSecret().getDefaultMode(), is(0440)));
    }

    @Test
    void noKubernetesCredentialsAndNoServiceLinks() {
        ServiceAccount account = Manifests.one(ServiceAccount.class);
        assertThat(account.getAutomountServiceAccountToken(), is(false));
        assertThat(pod.getServiceAccountName(), is(account.getMetadata().getName()));
        assertThat(pod.getAutomountServiceAccountToken(), is(false));
        // Helidon would read TOKEN_SERVICE_PORT=tcp://... and friends as configuration
        assertThat(pod.getEnableServiceLinks(), is(false));
    }

    @Test
    void resourcesAreBoundedAndTheHeapFollowsTheMemoryLimit() {
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        for (String resource : List.of("cpu", "memory")) {
            assertThat("requests." + resource, requests.get(resource), notNullValue());
            assertThat("limits." + resource, limits.get(resource), notNullValue());
            assertThat(resource + " request <= limit", Quantity.getAmountInBytes(requests.get(resource)),
                       lessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource))));
        }
        assertThat("memory request = limit", Quantity.getAmountInBytes(requests.get("memory")),
                   is(Quantity.getAmountInBytes(limits.get("memory"))));

        String jvm = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst().orElseThrow().getValue();
        assertThat(jvm, containsString("-XX:MaxRAMPercentage="));
        // a fixed heap would ignore the container limit
        assertThat(jvm, not(containsString("-Xmx")));
        assertThat(jvm, not(containsString("-XX:MaxHeapSize")));
    }

    @Test
    void probesUseHttpOnTheNamedPort() {
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                                   container.getReadinessProbe())) {
            assertThat(probe.getHttpGet(), notNullValue());
            assertThat(probe.getHttpGet().getPort(), is(new IntOrString("http")));
            assertThat(probe.getHttpGet().getScheme(), nullValue()); // HTTP
            assertThat(probe.getTimeoutSeconds(), greaterThanOrEqualTo(1));
        }
        assertThat(container.getPorts().stream().map(ContainerPort::getName).toList(), is(List.of("http")));
        // liveness must not restart a pod that is only slow to start
        Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold(), greaterThanOrEqualTo(30));
    }

    @Test
    void shutdownLetsTrafficDrainFirst() {
        Probe readiness = container.getReadinessProbe();
        int sleep = container.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
        // endpoints and load balancers stop sending new requests before the server stops; readiness has the
        // time to fail too
        assertThat(sleep, greaterThanOrEqualTo(readiness.getPeriodSeconds() * readiness.getFailureThreshold()));
        // then the JVM gets SIGTERM and has time to finish the requests in flight
        assertThat(pod.getTerminationGracePeriodSeconds(), greaterThanOrEqualTo((long) sleep + 15));
    }

    @Test
    void disruptionBudgetAndAutoscalerKeepTwoPods() {
        PodDisruptionBudget pdb = Manifests.one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable(), is(new IntOrString(1)));
        assertThat(pdb.getSpec().getMaxUnavailable(), nullValue());

        HorizontalPodAutoscaler hpa = Manifests.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas(), is(deployment.getSpec().getReplicas()));
        // a drain can evict one pod and still meet the budget
        assertThat(hpa.getSpec().getMinReplicas(), greaterThan(pdb.getSpec().getMinAvailable().getIntVal()));
        assertThat(hpa.getSpec().getMaxReplicas(), greaterThan(hpa.getSpec().getMinReplicas()));
        MetricSpec metric = hpa.getSpec().getMetrics().getFirst();
        assertThat(hpa.getSpec().getMetrics().size(), is(1));
        assertThat(metric.getType(), is("Resource"));
        assertThat(metric.getResource().getName(), is("cpu"));
        assertThat(metric.getResource().getTarget().getType(), is("Utilization"));
        // utilization is relative to the CPU request, so there must be one
        assertThat(container.getResources().getRequests().get("cpu"), notNullValue());
    }

    @Test
    void networkPolicyAdmitsHttpInAndDnsAndPostgresqlOut() {
        NetworkPolicy policy = Manifests.one(NetworkPolicy.class);
        assertThat(Set.copyOf(policy.getSpec().getPolicyTypes()), is(Set.of("Ingress", "Egress")));
        int containerPort = container.getPorts().getFirst().getContainerPort();

        assertThat(policy.getSpec().getIngress().size(), is(1));
        List<NetworkPolicyPort> in = policy.getSpec().getIngress().getFirst().getPorts();
        assertThat(in.size(), is(1));
        assertThat(in.getFirst().getProtocol(), is("TCP"));
        assertThat(in.getFirst().getPort(), is(new IntOrString(containerPort)));

        assertThat(policy.getSpec().getEgress().size(), is(2));
        policy.getSpec().getEgress().getFirst().getPorts()
                .forEach(port -> assertThat(port.getPort(), is(new IntOrString(53))));
        // the shared store: TCP to the port of the database URL the example Secret shows
        List<NetworkPolicyPort> store = policy.getSpec().getEgress().get(1).getPorts();
        assertThat(store.size(), is(1));
        assertThat(store.getFirst().getProtocol(), is("TCP"));
        String url = Manifests.examples().stream()
                .map(doc -> (io.fabric8.kubernetes.api.model.Secret) doc.resource())
                .filter(secret -> secret.getMetadata().getName().equals("token-service-store"))
                .findFirst().orElseThrow().getStringData().get("url");
        int port = Integer.parseInt(url.replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1"));
        assertThat(store.getFirst().getPort(), is(new IntOrString(port)));
    }

    @Test
    void serviceIsClusterIpToTheContainerPort() {
        Service service = Manifests.one(Service.class);
        assertThat(service.getSpec().getType(), is("ClusterIP"));
        assertThat(service.getSpec().getPorts().size(), is(1));
        assertThat(service.getSpec().getPorts().getFirst().getTargetPort(),
                   is(new IntOrString(container.getPorts().getFirst().getName())));
    }

    @Test
    void imageIsTheKustomizationImage() {
        Manifests.Kustomization.Image image = Manifests.kustomization().images().getFirst();
        // kustomize replaces the image whose name (without tag or digest) is the entry's name
        assertThat(container.getImage().replaceFirst("[:@].*$", ""), is(image.name()));
        assertThat(image.newName() + ":" + image.newTag(), is("token-service:latest"));
    }
}
