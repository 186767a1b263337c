package io.github.cdkecsbluegreen.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdkecsbluegreen.BlueGreenEcsService;
import io.github.cdkecsbluegreen.DeploymentStrategy;
import io.github.cdkecsbluegreen.HttpSmokeTestOptions;
import io.github.cdkecsbluegreen.LifecycleHook;
import io.github.cdkecsbluegreen.LifecycleHookFunction;
import io.github.cdkecsbluegreen.LifecycleStage;
import io.github.cdkecsbluegreen.TrafficRouting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;

/** A Java CDK app using the Maven artifact: one BlueGreenEcsService with a smoke test and a pause. */
class BlueGreenEcsServiceTest {

  @Test
  void runsOnTheAwsCdkLibItWasGiven() {
    String expected = System.getProperty("expected.cdk.version");
    assertNotNull(expected, "expected.cdk.version is not set (run through scripts/test-java.sh)");
    String jar = App.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(jar.endsWith("/aws-cdk-lib-" + expected + ".jar"), "aws-cdk-lib on the classpath: " + jar);
  }

  @Test
  @SuppressWarnings("unchecked")
  void synthesizesABlueGreenServiceWithHooks() {
    App app = new App();
    Stack stack = new Stack(app, "JavaSmoke");
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).natGateways(0).build();
    Cluster cluster = Cluster.Builder.create(stack, "Cluster").vpc(vpc).build();
    ApplicationLoadBalancer alb = ApplicationLoadBalancer.Builder.create(stack, "Alb").vpc(vpc).build();
    ApplicationListener listener = alb.addListener("Http", BaseApplicationListenerProps.builder()
        .port(80).open(false).defaultAction(ListenerAction.fixedResponse(404)).build());
    ApplicationListener testListener = alb.addListener("Test", BaseApplicationListenerProps.builder()
        .port(9000).protocol(ApplicationProtocol.HTTP).open(false).defaultAction(ListenerAction.fixedResponse(404)).build());
    FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, "Task").cpu(256).memoryLimitMiB(512).build();
    task.addContainer("web", software.amazon.awscdk.services.ecs.ContainerDefinitionOptions.builder()
        .image(ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27"))
        .portMappings(List.of(PortMapping.builder().containerPort(80).build()))
        .build());

    // The ALB is internal, so the smoke test runs in its VPC (synth refuses it otherwise).
    LifecycleHookFunction smoke = LifecycleHookFunction.httpSmokeTest(stack, "Smoke", HttpSmokeTestOptions.builder().vpc(vpc).build());
    BlueGreenEcsService.Builder.create(stack, "Api")
        .cluster(cluster)
        .taskDefinition(task)
        .routing(TrafficRouting.applicationLoadBalancer(
            io.github.cdkecsbluegreen.ApplicationLoadBalancerRoutingOptions.builder().listener(listener).testListener(testListener).build()))
        .strategy(DeploymentStrategy.blueGreen(io.github.cdkecsbluegreen.BlueGreenStrategyOptions.builder().bakeTime(Duration.minutes(10)).build()))
        .hooks(List.of(
            smoke.toHook(),
            LifecycleHook.pause(io.github.cdkecsbluegreen.PauseHookOptions.builder()
                .stages(List.of(LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT)).build())))
        .build();

    Template template = Template.fromStack(stack);
    Map<String, Map<String, Object>> services = template.findResources("AWS::ECS::Service");
    assertEquals(1, services.size());
    Map<String, Object> props = (Map<String, Object>) services.values().iterator().next().get("Properties");
    Map<String, Object> config = (Map<String, Object>) props.get("DeploymentConfiguration");
    assertEquals("BLUE_GREEN", config.get("Strategy"));
    assertEquals(10, ((Number) config.get("BakeTimeInMinutes")).intValue());
    List<Map<String, Object>> hooks = (List<Map<String, Object>>) config.get("LifecycleHooks");
    assertEquals(2, hooks.size());
    assertEquals("AWS_LAMBDA", hooks.get(0).get("TargetType"));
    // HookDetails is a JSON string (Fn::Join around the test listener's DNS name), never an object.
    Object details = hooks.get(0).get("HookDetails");
    assertTrue(details instanceof Map && ((Map<String, Object>) details).containsKey("Fn::Join"), "HookDetails: " + details);
    assertEquals("PAUSE", hooks.get(1).get("TargetType"));
    assertFalse(hooks.get(1).containsKey("HookDetails"));
    List<Object> loadBalancers = (List<Object>) props.get("LoadBalancers");
    Map<String, Object> advanced = (Map<String, Object>) ((Map<String, Object>) loadBalancers.get(0)).get("AdvancedConfiguration");
    assertNotNull(advanced.get("AlternateTargetGroupArn"));
    assertNotNull(advanced.get("TestListenerRule"));
  }
}
