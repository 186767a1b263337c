"""Python smoke test of the jsii bindings: a small CDK app built with cdk_ecs_blue_green."""
import json
import os

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

import cdk_ecs_blue_green as bg


def _stack():
    app = cdk.App()
    stack = cdk.Stack(app, "PythonSmoke")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0)
    alb = elbv2.ApplicationLoadBalancer(stack, "Alb", vpc=vpc)
    listener = alb.add_listener(
        "Http",
        port=80,
        open=False,
        default_action=elbv2.ListenerAction.fixed_response(404),
    )

    def target_group(name):
        return elbv2.ApplicationTargetGroup(
            stack, name, vpc=vpc, port=80,
            protocol=elbv2.ApplicationProtocol.HTTP, target_type=elbv2.TargetType.IP,
        )

    return stack, listener, target_group("Blue"), target_group("Green")


def test_weighted_rule_synthesizes_blue_1_green_0():
    stack, listener, blue, green = _stack()
    rule = bg.WeightedListenerRule(
        stack, "Prod", listener=listener, blue_target_group=blue, green_target_group=green,
        conditions=[elbv2.ListenerCondition.host_headers(["shop.example.com"])], priority=7,
    )
    assert rule.priority == 7
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::ListenerRule", 1)
    rules = template.find_resources("AWS::ElasticLoadBalancingV2::ListenerRule")
    props = list(rules.values())[0]["Properties"]
    assert props["Priority"] == 7
    assert props["Conditions"] == [
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["shop.example.com"]}}
    ]
    # By default the weights are read from the live rule at deploy time (1/0 on create).
    weights = [g["Weight"] for g in props["Actions"][0]["ForwardConfig"]["TargetGroups"]]
    # The attributes are keyed by a hash of the rule's construct path (stable when others come and go).
    keys = [w["Fn::GetAtt"][1] for w in weights]
    assert keys[0][:-1] == keys[1][:-1] and keys[0].startswith("W") and keys[0].endswith("B") and keys[1].endswith("G"), keys
    reader = list(template.find_resources("Custom::EcsBlueGreenLiveWeights").values())[0]["Properties"]
    assert [r["Key"] for r in reader["Rules"]] == [keys[0][:-1]]
    template.resource_count_is("Custom::EcsBlueGreenLiveWeights", 1)


def test_weighted_rule_without_live_weights_is_literal_1_0():
    stack, listener, blue, green = _stack()
    rule = bg.WeightedListenerRule(
        stack, "Prod", listener=listener, blue_target_group=blue, green_target_group=green,
        preserve_live_weights=False,
    )
    assert rule.preserves_live_weights is False
    template = assertions.Template.from_stack(stack)
    props = list(template.find_resources("AWS::ElasticLoadBalancingV2::ListenerRule").values())[0]["Properties"]
    weights = [g["Weight"] for g in props["Actions"][0]["ForwardConfig"]["TargetGroups"]]
    assert weights == [1, 0]
    template.resource_count_is("Custom::EcsBlueGreenLiveWeights", 0)


def test_invalid_priority_is_a_validation_error():
    stack, listener, blue, green = _stack()
    with pytest.raises(Exception) as info:
        bg.WeightedListenerRule(
            stack, "Bad", listener=listener, blue_target_group=blue,
            green_target_group=green, priority=0,
        )
    assert "[PythonSmoke/Bad] invalid priority" in str(info.value)
    assert "1 to 50000" in str(info.value)


def test_strategy_from_codedeploy_config():
    stack, *_ = _stack()
    strategy = bg.DeploymentStrategy.from_code_deploy_config("CodeDeployDefault.ECSCanary10Percent15Minutes")
    assert strategy.type == bg.DeploymentStrategyType.CANARY
    config = strategy.bind(stack)
    assert config.strategy == "CANARY"
    assert config.canary_percent == 10
    assert config.canary_bake_time_in_minutes == 15
    assert config.bake_time_in_minutes == 5


def test_installed_aws_cdk_lib_is_the_one_asked_for():
    """The smoke test runs on the aws-cdk-lib the script installed (the newest on PyPI): pip kept it
    when it installed this package (the wheel's requirement is a range, not a pin)."""
    from importlib.metadata import requires, version

    expected = os.environ.get("EXPECTED_AWS_CDK_LIB_VERSION")
    assert expected, "EXPECTED_AWS_CDK_LIB_VERSION is not set (run through scripts/test-python.sh)"
    assert version("aws-cdk-lib") == expected
    spec = next(r for r in requires("cdk-ecs-blue-green") if r.startswith("aws-cdk-lib"))
    assert "==" not in spec and ">=" in spec and "<3" in spec, spec


def test_service_with_hooks_synthesizes_hook_details_as_a_json_string():
    stack, listener, _blue, _green = _stack()
    vpc = stack.node.find_child("Vpc")
    cluster = ecs.Cluster(stack, "Cluster", vpc=vpc)
    task = ecs.FargateTaskDefinition(stack, "Task", cpu=256, memory_limit_mib=512)
    task.add_container(
        "web",
        image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
        port_mappings=[ecs.PortMapping(container_port=80)],
    )
    # The ALB is internal, so the smoke test runs in its VPC (synth refuses it otherwise).
    smoke = bg.LifecycleHookFunction.http_smoke_test(stack, "Smoke", path="/health", requests=3, vpc=vpc)
    bg.BlueGreenEcsService(
        stack, "Api", cluster=cluster, task_definition=task,
        routing=bg.TrafficRouting.application_load_balancer(
            listener=listener, test_header=bg.TestTrafficHeader(name="X-Test", value="1"),
        ),
        hooks=[
            smoke.to_hook(),
            bg.LifecycleHook.pause(stages=[bg.LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT]),
        ],
    )
    template = assertions.Template.from_stack(stack)
    service_id, service = next(iter(template.find_resources("AWS::ECS::Service").items()))
    lambda_hook, pause_hook = service["Properties"]["DeploymentConfiguration"]["LifecycleHooks"]
    assert lambda_hook["TargetType"] == "AWS_LAMBDA"
    assert lambda_hook["LifecycleStages"] == ["POST_TEST_TRAFFIC_SHIFT"]
    # A JSON string (Fn::Join around the load balancer's DNS name), as ECS accepts it; never an object.
    parts = lambda_hook["HookDetails"]["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "lb.example.com" for p in parts)
    assert json.loads(text) == {
        "path": "/health", "requests": 3, "url": "http://lb.example.com:80",
        "headerName": "X-Test", "headerValue": "1",
    }
    assert pause_hook == {"LifecycleStages": ["PRE_PRODUCTION_TRAFFIC_SHIFT"], "TargetType": "PAUSE"}
    # The service waits for the role ECS assumes to invoke the hook, and for its policy.
    invoke_policy = next(
        k for k, v in template.find_resources("AWS::IAM::Policy").items()
        if k.startswith("EcsBlueGreenHookInvokeRole")
    )
    assert invoke_policy in service["DependsOn"], service_id


def test_vpc_lattice_routing_renders_the_lattice_configuration():
    stack, *_ = _stack()
    vpc = stack.node.find_child("Vpc")
    cluster = ecs.Cluster(stack, "LatticeCluster", vpc=vpc)
    task = ecs.FargateTaskDefinition(stack, "LatticeTask", cpu=256, memory_limit_mib=512)
    task.add_container(
        "web",
        image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
        port_mappings=[ecs.PortMapping(container_port=80, name="web")],
    )
    service = bg.BlueGreenEcsService(
        stack, "Orders", cluster=cluster, task_definition=task,
        routing=bg.TrafficRouting.vpc_lattice(
            auth_type="NONE", priority=50,
            conditions=[bg.VpcLatticeCondition.path_prefix("/orders"), bg.VpcLatticeCondition.method("GET")],
            test_header=bg.TestTrafficHeader(name="x-green", value="yes"),
        ),
    )
    assert service.blue_lattice_target_group is not None
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::VpcLattice::TargetGroup", 2)
    rules = [r["Properties"] for r in template.find_resources("AWS::VpcLattice::Rule").values()]
    assert sorted(r["Priority"] for r in rules) == [49, 50]
    props = next(iter(template.find_resources("AWS::ECS::Service").values()))["Properties"]
    entry = props["VpcLatticeConfigurations"][0]
    assert entry["PortName"] == "web"
    assert set(entry["AdvancedConfiguration"]) == {"AlternateTargetGroupArn", "ProductionListenerRule", "TestListenerRule"}


def test_vpc_lattice_priority_out_of_range_is_a_validation_error():
    stack, *_ = _stack()
    vpc = stack.node.find_child("Vpc")
    cluster = ecs.Cluster(stack, "LatticeCluster", vpc=vpc)
    task = ecs.FargateTaskDefinition(stack, "LatticeTask")
    task.add_container(
        "web",
        image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
        port_mappings=[ecs.PortMapping(container_port=80, name="web")],
    )
    with pytest.raises(Exception) as info:
        bg.BlueGreenEcsService(
            stack, "Bad", cluster=cluster, task_definition=task,
            routing=bg.TrafficRouting.vpc_lattice(priority=101),
        )
    assert "[PythonSmoke/Bad] invalid routing.priority" in str(info.value)
    assert "1 to 100" in str(info.value)


def test_lifecycle_hook_function_is_the_python_name_of_lambda_():
    # `lambda` is a Python keyword: jsii names LifecycleHook.lambda `lambda_`; `function` is the
    # same hook under a name that needs no trailing underscore. Both must render the same hook.
    def hooks(make):
        stack, listener, _blue, _green = _stack()
        vpc = stack.node.find_child("Vpc")
        cluster = ecs.Cluster(stack, "Cluster", vpc=vpc)
        task = ecs.FargateTaskDefinition(stack, "Task", cpu=256, memory_limit_mib=512)
        task.add_container(
            "web",
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
            port_mappings=[ecs.PortMapping(container_port=80)],
        )
        fn = bg.LifecycleHookFunction.approval_gate(stack, "Gate").function
        bg.BlueGreenEcsService(
            stack, "Api", cluster=cluster, task_definition=task,
            routing=bg.TrafficRouting.application_load_balancer(listener=listener),
            hooks=[make(fn)],
        )
        service = next(iter(assertions.Template.from_stack(stack).find_resources("AWS::ECS::Service").values()))
        return service["Properties"]["DeploymentConfiguration"]["LifecycleHooks"]

    stages = [bg.LifecycleStage.POST_SCALE_UP]
    via_function = hooks(lambda fn: bg.LifecycleHook.function(fn, stages=stages))
    assert [h["TargetType"] for h in via_function] == ["AWS_LAMBDA"]
    assert via_function[0]["LifecycleStages"] == ["POST_SCALE_UP"]
    assert via_function == hooks(lambda fn: bg.LifecycleHook.lambda_(fn, stages=stages))


def test_wheel_is_listed_as_an_aws_cdk_v2_library():
    # Construct Hub and PyPI list CDK v2 libraries by this trove classifier.
    from importlib.metadata import metadata
    assert "Framework :: AWS CDK :: 2" in metadata("cdk-ecs-blue-green").get_all("Classifier")
