// resolve.go - Go shapes the store's link info reads from the source (store/recv.c): a
// wrapper embedding a library interface, `var v T`, range loops over slices, maps and fields,
// type assertions, a method's value, a parameter's callers. A seed for fuzz_links.
package resolve

import (
	"bytes"
	"net/http"
	"sync"
)

type basicWriter struct {
	http.ResponseWriter
	n int
}

func (b *basicWriter) Write(p []byte) (int, error) { b.n += len(p); return b.ResponseWriter.Write(p) }

type Route struct{ name string }

func (r *Route) Match(s string) bool { return r.name == s }

type Router struct {
	routes []*Route
	byName map[string]*Route
	pool   sync.Pool
}

func (rt *Router) Find(s string, more ...*Route) *Route {
	for _, r := range rt.routes {
		if r.Match(s) {
			return r
		}
	}
	for k, r := range rt.byName {
		_ = k
		r.Match(s)
	}
	for _, r := range more {
		r.Match(s)
	}
	var buf bytes.Buffer
	buf.WriteString(s)
	if r, ok := rt.pool.Get().(*Route); ok {
		r.Match(s)
	}
	if f, ok := interface{}(rt).(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

func (rt *Router) Group() *Router { return &Router{} }

func (rt *Router) Mount(pattern string, h http.Handler) { h.ServeHTTP(nil, nil) }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) { w.Write(nil) }

func Setup() {
	var rt *Router
	g := rt.Group()
	sub := rt.Group()
	g.Mount("/x", sub)
	g.Find("a")
}
