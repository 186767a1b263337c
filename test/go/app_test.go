package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// The test binary is linked against the aws-cdk-go version scripts/test-go.sh chose.
func TestRunsOnTheAwsCdkGoItWasGiven(t *testing.T) {
	expected := os.Getenv("EXPECTED_AWS_CDK_GO_VERSION")
	if expected == "" {
		t.Fatal("EXPECTED_AWS_CDK_GO_VERSION is not set (run through scripts/test-go.sh)")
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info")
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/aws/aws-cdk-go/awscdk/v2" {
			if dep.Version != "v"+expected {
				t.Fatalf("aws-cdk-go in the binary: %s, expected v%s", dep.Version, expected)
			}
			return
		}
	}
	t.Fatal("github.com/aws/aws-cdk-go/awscdk/v2 is not in the build info")
}

func TestSynthesizesACanaryServiceWithAPauseHook(t *testing.T) {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	template := assertions.Template_FromStack(NewSmokeStack(app), nil)

	services := *template.FindResources(jsii.String("AWS::ECS::Service"), nil)
	if len(services) != 1 {
		t.Fatalf("AWS::ECS::Service resources: %d, expected 1", len(services))
	}
	var props map[string]interface{}
	for _, resource := range services {
		props = (*resource)["Properties"].(map[string]interface{})
	}
	if controller := props["DeploymentController"].(map[string]interface{})["Type"]; controller != "ECS" {
		t.Errorf("DeploymentController.Type: %v, expected ECS", controller)
	}
	config := props["DeploymentConfiguration"].(map[string]interface{})
	if config["Strategy"] != "CANARY" {
		t.Errorf("DeploymentConfiguration.Strategy: %v, expected CANARY", config["Strategy"])
	}
	canary, _ := config["CanaryConfiguration"].(map[string]interface{})
	if canary == nil || canary["CanaryPercent"] != float64(10) || canary["CanaryBakeTimeInMinutes"] != float64(5) {
		t.Errorf("DeploymentConfiguration.CanaryConfiguration: %v, expected 10 %% for 5 minutes", config["CanaryConfiguration"])
	}
	hooks, _ := config["LifecycleHooks"].([]interface{})
	if len(hooks) != 1 {
		t.Fatalf("DeploymentConfiguration.LifecycleHooks: %v, expected one", config["LifecycleHooks"])
	}
	hook := hooks[0].(map[string]interface{})
	if hook["TargetType"] != "PAUSE" {
		t.Errorf("LifecycleHooks[0].TargetType: %v, expected PAUSE", hook["TargetType"])
	}
	stages, _ := hook["LifecycleStages"].([]interface{})
	if len(stages) != 1 || stages[0] != "PRE_PRODUCTION_TRAFFIC_SHIFT" {
		t.Errorf("LifecycleHooks[0].LifecycleStages: %v, expected [PRE_PRODUCTION_TRAFFIC_SHIFT]", hook["LifecycleStages"])
	}
	loadBalancers, _ := props["LoadBalancers"].([]interface{})
	if len(loadBalancers) != 1 {
		t.Fatalf("LoadBalancers: %v, expected one", props["LoadBalancers"])
	}
	advanced, _ := loadBalancers[0].(map[string]interface{})["AdvancedConfiguration"].(map[string]interface{})
	if advanced == nil || advanced["AlternateTargetGroupArn"] == nil || advanced["ProductionListenerRule"] == nil {
		t.Errorf("LoadBalancers[0].AdvancedConfiguration: %v, expected the green target group and the production rule", advanced)
	}
}
