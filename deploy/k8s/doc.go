// Package k8s holds newswire's Kubernetes manifests (a three-node NATS
// JetStream cluster, one Deployment per stage, the serve Service) and the
// tests that validate them offline: every document is decoded strictly into
// its k8s.io/api type (an unknown or misspelt field fails), cross-references
// are checked (selectors, probe ports, ConfigMaps), and the NATS
// configuration, deploy/nats-accounts.conf included, is parsed by
// nats-server's own parser and served to check each role's permissions.
//
//	go test ./deploy/k8s
//	kubectl apply -k deploy/k8s
package k8s
