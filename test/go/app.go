// A Go CDK app using the generated Go module: one BlueGreenEcsService with a canary strategy and
// a pause hook behind an Application Load Balancer listener.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"
	bg "github.com/cdk-ecs-blue-green/cdk-ecs-blue-green-go/cdkecsbluegreen"
)

// NewSmokeStack builds the stack the test synthesizes.
func NewSmokeStack(app awscdk.App) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String("GoSmoke"), nil)
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	cluster := awsecs.NewCluster(stack, jsii.String("Cluster"), &awsecs.ClusterProps{Vpc: vpc})
	alb := elbv2.NewApplicationLoadBalancer(stack, jsii.String("Alb"), &elbv2.ApplicationLoadBalancerProps{Vpc: vpc})
	listener := alb.AddListener(jsii.String("Http"), &elbv2.BaseApplicationListenerProps{
		Port:          jsii.Number(80),
		Open:          jsii.Bool(false),
		DefaultAction: elbv2.ListenerAction_FixedResponse(jsii.Number(404), nil),
	})
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(256),
		MemoryLimitMiB: jsii.Number(512),
	})
	task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{
		Image:        awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.27"), nil),
		PortMappings: &[]*awsecs.PortMapping{{ContainerPort: jsii.Number(80)}},
	})

	bg.NewBlueGreenEcsService(stack, jsii.String("Api"), &bg.BlueGreenEcsServiceProps{
		Cluster:        cluster,
		TaskDefinition: task,
		Routing:        bg.TrafficRouting_ApplicationLoadBalancer(&bg.ApplicationLoadBalancerRoutingOptions{Listener: listener}),
		Strategy: bg.DeploymentStrategy_Canary(&bg.CanaryStrategyOptions{
			CanaryPercent:  jsii.Number(10),
			CanaryBakeTime: awscdk.Duration_Minutes(jsii.Number(5)),
		}),
		Hooks: &[]bg.LifecycleHook{
			bg.LifecycleHook_Pause(&bg.PauseHookOptions{
				Stages: &[]bg.LifecycleStage{bg.LifecycleStage_PRE_PRODUCTION_TRAFFIC_SHIFT},
			}),
		},
	})
	return stack
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewSmokeStack(app)
	app.Synth(nil)
}
