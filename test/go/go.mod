// The Go binding smoke test (scripts/test-go.sh). The script copies this directory into
// .tmp/go-smoke and adds the requirements there (the aws-cdk-go version chosen for the run and a
// replace to the module in dist/go), so this file names no versions and never changes.
module example.com/cdkecsbluegreen/gosmoke

go 1.26
