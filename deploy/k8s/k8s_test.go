package k8s

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/conf"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// manifests decodes every document of every YAML file here strictly into
// its typed object.
type manifests struct {
	deployments  []*appsv1.Deployment
	statefulSets []*appsv1.StatefulSet
	services     []*corev1.Service
	configMaps   []*corev1.ConfigMap
	namespaces   []*corev1.Namespace
	pdbs         []*policyv1.PodDisruptionBudget
}

func load(t *testing.T) *manifests {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	m := &manifests{}
	for _, f := range files {
		if f == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range bytes.Split(data, []byte("\n---\n")) {
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			where := fmt.Sprintf("%s doc %d", f, i+1)
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			var obj any
			switch meta.APIVersion + "/" + meta.Kind {
			case "apps/v1/Deployment":
				o := &appsv1.Deployment{}
				m.deployments, obj = append(m.deployments, o), o
			case "apps/v1/StatefulSet":
				o := &appsv1.StatefulSet{}
				m.statefulSets, obj = append(m.statefulSets, o), o
			case "v1/Service":
				o := &corev1.Service{}
				m.services, obj = append(m.services, o), o
			case "v1/ConfigMap":
				o := &corev1.ConfigMap{}
				m.configMaps, obj = append(m.configMaps, o), o
			case "v1/Namespace":
				o := &corev1.Namespace{}
				m.namespaces, obj = append(m.namespaces, o), o
			case "policy/v1/PodDisruptionBudget":
				o := &policyv1.PodDisruptionBudget{}
				m.pdbs, obj = append(m.pdbs, o), o
			default:
				t.Fatalf("%s: unexpected %s %s", where, meta.APIVersion, meta.Kind)
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
		}
	}
	return m
}

func TestKustomizationListsEveryFile(t *testing.T) {
	data, err := os.ReadFile("kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		APIVersion string   `json:"apiVersion"`
		Kind       string   `json:"kind"`
		Resources  []string `json:"resources"`
	}
	if err := yaml.UnmarshalStrict(data, &k); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.yaml")
	listed := map[string]bool{}
	for _, r := range k.Resources {
		listed[r] = true
		if _, err := os.Stat(r); err != nil {
			t.Errorf("kustomization lists %s: %v", r, err)
		}
	}
	for _, f := range files {
		if f != "kustomization.yaml" && !listed[f] {
			t.Errorf("%s is not in kustomization.yaml", f)
		}
	}
}

func TestDeployments(t *testing.T) {
	m := load(t)
	want := map[string]bool{"newswire-crawl": true, "newswire-extract": true, "newswire-index": true, "newswire-alert": true, "newswire-serve": true}
	for _, d := range m.deployments {
		t.Run(d.Name, func(t *testing.T) {
			delete(want, d.Name)
			checkPodTemplate(t, d.Namespace, d.Spec.Replicas, d.Spec.Selector.MatchLabels, d.Spec.Template)
			c := d.Spec.Template.Spec.Containers[0]
			if d.Name != "newswire-serve" {
				if got := c.ReadinessProbe.HTTPGet.Path; got != "/readyz" {
					t.Errorf("readiness on %s, want /readyz", got)
				}
				if !strings.Contains(strings.Join(c.Args, " "), "--replicas 3") {
					t.Errorf("stage on a cluster without --replicas 3: %v", c.Args)
				}
			}
			if got := c.LivenessProbe.HTTPGet.Path; got != "/healthz" {
				t.Errorf("liveness on %s, want /healthz", got)
			}
		})
	}
	for name := range want {
		t.Errorf("no Deployment %s", name)
	}
}

// checkPodTemplate checks what every workload needs: a namespace, replicas,
// a selector matching the pod labels, requests, probes on declared ports,
// and volumes for every mount.
func checkPodTemplate(t *testing.T, ns string, replicas *int32, sel map[string]string, tpl corev1.PodTemplateSpec, claims ...string) {
	t.Helper()
	if ns != "newswire" {
		t.Errorf("namespace %q", ns)
	}
	if replicas == nil || *replicas < 1 {
		t.Errorf("replicas %v", replicas)
	}
	if len(sel) == 0 {
		t.Error("empty selector")
	}
	for k, v := range sel {
		if tpl.Labels[k] != v {
			t.Errorf("selector %s=%s does not match the pod labels %v", k, v, tpl.Labels)
		}
	}
	vols := map[string]bool{}
	for _, v := range tpl.Spec.Volumes {
		vols[v.Name] = true
	}
	for _, c := range claims {
		vols[c] = true
	}
	if len(tpl.Spec.Containers) == 0 {
		t.Fatal("no containers")
	}
	for _, c := range tpl.Spec.Containers {
		if c.Image == "" {
			t.Errorf("%s: no image", c.Name)
		}
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
			t.Errorf("%s: no cpu/memory requests", c.Name)
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for what, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if p == nil || p.HTTPGet == nil {
				t.Errorf("%s: no HTTP %s probe", c.Name, what)
				continue
			}
			if !ports[p.HTTPGet.Port.String()] {
				t.Errorf("%s: %s probe on undeclared port %s", c.Name, what, p.HTTPGet.Port.String())
			}
		}
		for _, vm := range c.VolumeMounts {
			if !vols[vm.Name] {
				t.Errorf("%s: mounts undeclared volume %s", c.Name, vm.Name)
			}
		}
	}
}

func TestNATSStatefulSet(t *testing.T) {
	m := load(t)
	if len(m.statefulSets) != 1 {
		t.Fatalf("%d StatefulSets, want the NATS one", len(m.statefulSets))
	}
	ss := m.statefulSets[0]
	var claims []string
	for _, c := range ss.Spec.VolumeClaimTemplates {
		claims = append(claims, c.Name)
	}
	checkPodTemplate(t, ss.Namespace, ss.Spec.Replicas, ss.Spec.Selector.MatchLabels, ss.Spec.Template, claims...)
	if *ss.Spec.Replicas != 3 {
		t.Errorf("NATS replicas %d, want 3", *ss.Spec.Replicas)
	}
	if len(ss.Spec.VolumeClaimTemplates) != 1 || ss.Spec.VolumeClaimTemplates[0].Name != "data" {
		t.Errorf("NATS needs a persistent volume per server: %+v", ss.Spec.VolumeClaimTemplates)
	}
	var headless bool
	for _, s := range m.services {
		if s.Name == ss.Spec.ServiceName && s.Spec.ClusterIP == corev1.ClusterIPNone {
			headless = true
		}
	}
	if !headless {
		t.Errorf("no headless Service %s", ss.Spec.ServiceName)
	}
}

func TestServicesSelectPods(t *testing.T) {
	m := load(t)
	var pods []map[string]string
	ports := map[string]bool{}
	for _, d := range m.deployments {
		pods = append(pods, d.Spec.Template.Labels)
		for _, p := range d.Spec.Template.Spec.Containers[0].Ports {
			ports[p.Name] = true
		}
	}
	for _, s := range m.statefulSets {
		pods = append(pods, s.Spec.Template.Labels)
		for _, p := range s.Spec.Template.Spec.Containers[0].Ports {
			ports[p.Name] = true
		}
	}
	names := map[string]bool{}
	for _, s := range m.services {
		names[s.Name] = true
		t.Run(s.Name, func(t *testing.T) {
			found := false
			for _, labels := range pods {
				ok := true
				for k, v := range s.Spec.Selector {
					ok = ok && labels[k] == v
				}
				found = found || ok
			}
			if len(s.Spec.Selector) == 0 || !found {
				t.Errorf("selector %v matches no pod", s.Spec.Selector)
			}
			for _, p := range s.Spec.Ports {
				if !ports[p.TargetPort.String()] {
					t.Errorf("target port %s is no container port name", p.TargetPort.String())
				}
			}
		})
	}
	for _, want := range []string{"nats", "newswire-serve"} {
		if !names[want] {
			t.Errorf("no Service %s", want)
		}
	}
}

// accountEnv sets the password variables nats-accounts.conf refers to.
var accountUsers = []string{"crawl", "extract", "index", "alert", "subscriber", "operator", "admin"}

func setPasswords(t *testing.T) {
	for _, u := range accountUsers {
		t.Setenv("NEWSWIRE_"+strings.ToUpper(u)+"_PASSWORD", "pw-"+u)
	}
}

func TestNATSConfigMatchesAccountsFile(t *testing.T) {
	m := load(t)
	accounts, err := os.ReadFile("../nats-accounts.conf")
	if err != nil {
		t.Fatal(err)
	}
	var cm *corev1.ConfigMap
	for _, c := range m.configMaps {
		if c.Name == "nats-config" {
			cm = c
		}
	}
	if cm == nil {
		t.Fatal("no ConfigMap nats-config")
	}
	if cm.Data["accounts.conf"] != string(accounts) {
		t.Error("nats-config accounts.conf differs from deploy/nats-accounts.conf: copy the file into the ConfigMap")
	}
	// The server config, with its include, parses with nats-server's parser.
	dir := t.TempDir()
	for k, v := range cm.Data {
		if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	setPasswords(t)
	t.Setenv("POD_NAME", "nats-0")
	if _, err := conf.ParseFile(filepath.Join(dir, "nats.conf")); err != nil {
		t.Fatalf("nats.conf: %v", err)
	}
	opts, err := server.ProcessConfigFile(filepath.Join(dir, "nats.conf"))
	if err != nil {
		t.Fatalf("nats.conf: %v", err)
	}
	if !opts.JetStream || opts.Cluster.Name != "newswire" || len(opts.Routes) != 3 || opts.ServerName != "nats-0" {
		t.Errorf("jetstream %v cluster %q routes %d name %q", opts.JetStream, opts.Cluster.Name, len(opts.Routes), opts.ServerName)
	}
}

// startAccounts runs a single JetStream server with deploy/nats-accounts.conf.
func startAccounts(t *testing.T) *server.Server {
	t.Helper()
	setPasswords(t)
	dir := t.TempDir()
	accounts, err := os.ReadFile("../nats-accounts.conf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "accounts.conf"), accounts, 0o600); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf("listen: 127.0.0.1:-1\njetstream { store_dir: %q }\ninclude ./accounts.conf\n", filepath.Join(dir, "js"))
	if err := os.WriteFile(filepath.Join(dir, "nats.conf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(filepath.Join(dir, "nats.conf"))
	if err != nil {
		t.Fatalf("nats-accounts.conf: %v", err)
	}
	opts.NoLog, opts.NoSigs = true, true
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

func connectAs(t *testing.T, s *server.Server, user string) *bus.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := strings.Replace(s.ClientURL(), "nats://", "nats://"+user+":pw-"+user+"@", 1)
	c, err := bus.Connect(ctx, url, nil, nil)
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(c.NC.Close)
	return c
}

// TestAccountPermissions runs the real stage code as each user.
func TestAccountPermissions(t *testing.T) {
	s := startAccounts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	publish := func(c *bus.Conn, subject string) error {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := c.JS.Publish(pctx, subject, []byte(`{}`))
		return err
	}
	// A denied JetStream API request gets no reply: it fails by timeout.
	consumer := func(c *bus.Conn, name, stream string) error {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := stage.New(cctx, c, stage.Config{Name: name, Stream: stream}, nil, prometheus.NewRegistry())
		return err
	}
	crawl := connectAs(t, s, "crawl")
	if err := crawl.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		t.Fatalf("crawl cannot ensure the streams: %v", err)
	}
	extract := connectAs(t, s, "extract")
	index := connectAs(t, s, "index")
	alert := connectAs(t, s, "alert")
	sub := connectAs(t, s, "subscriber")
	op := connectAs(t, s, "operator")

	cases := []struct {
		name  string
		do    func() error
		allow bool
	}{
		{"crawl publishes raw", func() error { return publish(crawl, bus.RawSubject("example.com")) }, true},
		{"crawl cannot publish enriched", func() error { return publish(crawl, bus.SubjectEnriched) }, false},
		{"crawl cannot publish alerts", func() error { return publish(crawl, bus.AlertSubject("x")) }, false},
		{"extract consumes raw", func() error { return consumer(extract, "extract", bus.StreamRaw) }, true},
		{"extract publishes enriched", func() error { return publish(extract, bus.SubjectEnriched) }, true},
		{"extract dead-letters", func() error { return publish(extract, bus.DLQSubject("extract")) }, true},
		{"extract cannot publish raw", func() error { return publish(extract, bus.RawSubject("x")) }, false},
		{"extract cannot take the index consumer", func() error { return consumer(extract, "index", bus.StreamEnriched) }, false},
		{"index consumes enriched", func() error { return consumer(index, "index", bus.StreamEnriched) }, true},
		{"index cannot publish enriched", func() error { return publish(index, bus.SubjectEnriched) }, false},
		{"alert consumes enriched", func() error { return consumer(alert, "alert", bus.StreamEnriched) }, true},
		{"alert publishes alerts", func() error { return publish(alert, bus.AlertSubject("rule")) }, true},
		{"alert cannot publish raw", func() error { return publish(alert, bus.RawSubject("x")) }, false},
		{"subscriber cannot publish raw", func() error { return publish(sub, bus.RawSubject("x")) }, false},
		{"subscriber cannot create streams", func() error {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			return sub.EnsureStreams(cctx, bus.StreamOptions{})
		}, false},
		{"subscriber cannot read enriched", func() error { return consumer(sub, "spy", bus.StreamEnriched) }, false},
		{"operator replays to raw", func() error { return publish(op, bus.RawSubject("x")) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if tc.allow && err != nil {
				t.Errorf("denied: %v", err)
			}
			if !tc.allow && err == nil {
				t.Error("allowed")
			}
		})
	}

	t.Run("subscriber reads alerts", func(t *testing.T) {
		got := make(chan *nats.Msg, 1)
		subn, err := sub.NC.ChanSubscribe(bus.SubjectAlertPrefix+">", got)
		if err != nil {
			t.Fatal(err)
		}
		defer subn.Unsubscribe()
		if err := sub.NC.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := publish(alert, bus.AlertSubject("rule")); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-got:
			if m.Subject != bus.AlertSubject("rule") {
				t.Errorf("subject %s", m.Subject)
			}
		case <-ctx.Done():
			t.Fatal("no alert received")
		}
	})
}
