/*
 * cmd_viz.c - `codecomp viz`: one self-contained HTML page (no network) showing what the KV
 * cache kept for a localization: the context's tokens shaded by their structural prior,
 * underlined green (kept) or red (evicted) for one layer and KV head (selectors), the chosen
 * policy and SnapKV side by side, the ranked answer beside them; optionally a PNG of it
 * rendered by headless Chromium. With --session ID the page shows a live agent session of the
 * daemon (its `session.viz` answer: the session's policy at its budget beside SnapKV).
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"

#include <jansson.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f, "usage: codecomp viz (--localize-json F | --session ID [--connect URL])\n"
	           "                    --out report.html [--png report.png] [--width PX] [--height PX]\n\n"
	           "F is the output of `codecomp localize --json --viz`; ID an agent session open in\n"
	           "the running daemon (codecomp session open). The page is one file with\n"
	           "no network access: each context token shaded by its prior and marked kept\n"
	           "(green) or evicted (red) for a layer and KV head, the chosen policy beside\n"
	           "SnapKV at the same budget, and the ranked answer. --png renders it with\n"
	           "headless Chromium (Debian package chromium; scripts/bootstrap installs it).\n");
}

static const char page_head[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	"<title>codecomp: what the cache kept</title>\n<style>\n"
	"body{font-family:sans-serif;margin:12px;background:#fff;color:#111}\n"
	"h1{font-size:18px;margin:0 0 6px 0}\n"
	".meta{font-size:12px;color:#444;margin-bottom:8px}\n"
	".wrap{display:flex;gap:10px;align-items:flex-start}\n"
	".pane{flex:1;min-width:0;border:1px solid #bbb;padding:6px}\n"
	".pane h2{font-size:14px;margin:0 0 4px 0}\n"
	".code{font-family:monospace;font-size:11px;white-space:pre-wrap;word-break:break-all;line-height:1.6}\n"
	".k{border-bottom:3px solid #00a000}\n"
	".e{border-bottom:3px solid #d00000;color:#888}\n"
	".ans{width:330px;font-size:12px;border:1px solid #bbb;padding:6px}\n"
	".ans table{border-collapse:collapse;width:100%}\n"
	".ans td,.ans th{border-bottom:1px solid #ddd;padding:2px 3px;text-align:left;vertical-align:top}\n"
	".legend span{display:inline-block;padding:0 6px;margin-right:6px}\n"
	"</style></head><body>\n"
	"<h1>What the KV cache kept</h1>\n<div class=\"meta\" id=\"meta\"></div>\n"
	"<div class=\"meta\">layer <select id=\"layer\"></select> KV head <select id=\"head\"></select>\n"
	"<span class=\"legend\"><span class=\"k\">kept</span><span class=\"e\">evicted</span>"
	"<span style=\"background:rgba(255,140,0,0.6)\">high prior</span></span></div>\n"
	"<div class=\"wrap\"><div class=\"pane\"><h2 id=\"t0\"></h2><div class=\"code\" id=\"p0\"></div></div>\n"
	"<div class=\"pane\" id=\"pane1\"><h2 id=\"t1\"></h2><div class=\"code\" id=\"p1\"></div></div>\n"
	"<div class=\"ans\"><b>Ranked answer</b><table id=\"ans\"></table></div></div>\n"
	"<script type=\"application/json\" id=\"data\">";

static const char page_tail[] =
	"</script>\n<script>\n"
	"const d = JSON.parse(document.getElementById('data').textContent);\n"
	"const v = d.viz;\n"
	"const bytes = new TextEncoder().encode(v.text);\n"
	"const dec = new TextDecoder();\n"
	"const toks = v.starts.map((s, i) => dec.decode(bytes.subarray(s, i + 1 < v.starts.length ? v.starts[i + 1] : bytes.length)));\n"
	"const pols = Object.keys(v.kept);\n"
	"function esc(s){return s.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');}\n"
	"function fill(sel, n){for(let i=0;i<n;i++){const o=document.createElement('option');o.value=i;o.textContent=i;sel.appendChild(o);}}\n"
	"fill(document.getElementById('layer'), v.layers); fill(document.getElementById('head'), v.kv_heads);\n"
	"const res = d.results || [];\n"
	"function render(){\n"
	"  const l = +document.getElementById('layer').value, h = +document.getElementById('head').value;\n"
	"  const row = l * v.kv_heads + h;\n"
	"  for (let p = 0; p < 2; p++) {\n"
	"    const pane = document.getElementById('p' + p);\n"
	"    if (p >= pols.length) { document.getElementById('pane1').style.display = 'none'; continue; }\n"
	"    const bits = v.kept[pols[p]][row]; let kept = 0; const out = [];\n"
	"    for (let i = 0; i < toks.length; i++) {\n"
	"      const k = bits[i] === '1'; if (k) kept++;\n"
	"      out.push('<span class=\"' + (k ? 'k' : 'e') + '\" style=\"background:rgba(255,140,0,' + (0.75 * v.priors[i]).toFixed(3) + ')\">' + esc(toks[i]) + '</span>');\n"
	"    }\n"
	"    pane.innerHTML = out.join('');\n"
	"    document.getElementById('t' + p).textContent = pols[p] + ': ' + kept + ' of ' + toks.length + ' tokens kept (layer ' + l + ', KV head ' + h + ')';\n"
	"  }\n"
	"}\n"
	"document.getElementById('layer').onchange = render; document.getElementById('head').onchange = render;\n"
	"const kv = ', KV ' + (d.kv_bytes.held / 1024).toFixed(0) + ' of ' + (d.kv_bytes.full / 1024).toFixed(0) + ' KiB';\n"
	"const t = document.getElementById('ans');\n"
	"if (d.session) {\n"
	"  const s = d.session;\n"
	"  document.getElementById('meta').textContent = 'session ' + s.id + ', policy ' + d.policy + ' at budget ' + d.budget + ', ' + s.context_tokens + ' context tokens, ' + s.kept_per_head + ' kept per layer and KV head' + kv;\n"
	"  t.previousSibling.textContent = 'Session';\n"
	"  t.innerHTML = [['model', s.model], ['policy', s.policy], ['budget', d.budget], ['context tokens', s.context_tokens], ['kept per head', s.kept_per_head], ['KV bytes full', s.kv_bytes_full], ['KV bytes held', s.kv_bytes_held], ['files', (s.files || []).join(', ')]].map(r => '<tr><th>' + r[0] + '</th><td>' + esc(String(r[1])) + '</td></tr>').join('');\n"
	"} else {\n"
	"  document.getElementById('meta').textContent = d.mode + ' mode, policy ' + d.policy + ' at budget ' + d.budget + ', commit ' + d.commit.slice(0, 12) + kv + (d.notice ? ' - ' + d.notice : '');\n"
	"  t.innerHTML = '<tr><th>#</th><th>function</th><th>lines</th><th>score</th></tr>' + res.map(r => '<tr><td>' + r.rank + '</td><td>' + esc(r.file) + ':' + esc(r.qualified || r.function) + (r.line ? ' <i>line ' + r.line + '</i>' : '') + '</td><td>' + r.start_line + '-' + r.end_line + '</td><td>' + r.score.toFixed(3) + '</td></tr>').join('');\n"
	"}\n"
	"render();\n"
	"</script></body></html>\n";

static int find_chromium(char *out, size_t cap)
{
	static const char *const names[] = {"chromium", "chromium-browser", "google-chrome", NULL};
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	for (const char *const *n = names; *n; n++) {
		const char *p = path;
		while (*p) {
			const char *e = strchr(p, ':');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			snprintf(out, cap, "%.*s/%s", (int)l, p, *n);
			if (!access(out, X_OK))
				return 1;
			p += l + (e ? 1 : 0);
		}
	}
	return 0;
}

static int render_png(const char *html, const char *png, int w, int h)
{
	char chrome[PATH_MAX], abs_html[PATH_MAX], url[PATH_MAX + 16], shot[PATH_MAX + 32];
	char size[64], tmpdir[] = "/tmp/codecomp-viz.XXXXXX", prof[PATH_MAX];
	if (!find_chromium(chrome, sizeof(chrome))) {
		fprintf(stderr, "codecomp: viz: chromium not found on PATH (Debian: apt-get install "
		                "chromium; scripts/bootstrap installs it)\n");
		return 1;
	}
	if (!realpath(html, abs_html) || !mkdtemp(tmpdir)) {
		fprintf(stderr, "codecomp: viz: cannot resolve %s\n", html);
		return 1;
	}
	snprintf(url, sizeof(url), "file://%s", abs_html);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	snprintf(size, sizeof(size), "--window-size=%d,%d", w, h);
	snprintf(prof, sizeof(prof), "--user-data-dir=%s", tmpdir);
	char *argv[] = {chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
	                "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
	                "--virtual-time-budget=5000", prof, size, shot, url, NULL};
	pid_t pid;
	int st = 0, ok;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* Chromium is chatty on stderr even when it works */
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	ok = !posix_spawn(&pid, chrome, &fa, NULL, argv, environ) && waitpid(pid, &st, 0) == pid &&
	     WIFEXITED(st) && WEXITSTATUS(st) == 0;
	posix_spawn_file_actions_destroy(&fa);
	char rm[PATH_MAX + 16];
	snprintf(rm, sizeof(rm), "%s", tmpdir);
	{
		pid_t p2;
		char *rmargv[] = {"rm", "-rf", rm, NULL};
		if (!posix_spawnp(&p2, "rm", NULL, NULL, rmargv, environ))
			waitpid(p2, NULL, 0);
	}
	struct stat sb;
	if (!ok || stat(png, &sb) || sb.st_size == 0) {
		fprintf(stderr, "codecomp: viz: %s did not write %s\n", chrome, png);
		return 1;
	}
	return 0;
}

int cmd_viz(int argc, char **argv)
{
	const char *in = NULL, *outp = NULL, *png = NULL, *session = NULL, *url = NULL;
	int w = 1600, h = 1000, ret = 1;
	json_t *d = NULL;
	char *data = NULL;
	FILE *f = NULL;
	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(x, "--localize-json") && more) {
			in = argv[++i];
		} else if (!strcmp(x, "--session") && more) {
			session = argv[++i];
		} else if (!strcmp(x, "--out") && more) {
			outp = argv[++i];
		} else if (!strcmp(x, "--png") && more) {
			png = argv[++i];
		} else if ((!strcmp(x, "--width") || !strcmp(x, "--height")) && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 200, 8000)) {
				fprintf(stderr, "codecomp: viz: %s must be in [200, 8000]\n", x);
				return 2;
			}
			*(x[2] == 'w' ? &w : &h) = (int)v;
		} else {
			fprintf(stderr, "codecomp: viz: unknown or incomplete option '%s'\n", x);
			usage(stderr);
			return 2;
		}
	}
	if ((!in && !session) || (in && session) || !outp) {
		usage(stderr);
		return 2;
	}
	if (session) {
		/* sessions live in the daemon: ask it what the session's cache kept */
		int rc = cc_client_try(&d, url, "session.viz", json_pack("{s:s}", "id", session));
		if (rc == CC_CLIENT_NO_DAEMON) {
			fprintf(stderr, "codecomp: viz: --session needs a running daemon (sessions live "
			                "in codecompd: codecomp session open); none answers\n");
			goto out;
		}
		if (rc) {
			fprintf(stderr, "codecomp: viz: session %s: %s\n", session, cc_error_last());
			goto out;
		}
		in = session;
	} else {
		json_error_t err;
		if (!(d = json_load_file(in, 0, &err))) {
			fprintf(stderr, "codecomp: viz: %s is not JSON: %s (line %d)\n", in, err.text,
			        err.line);
			goto out;
		}
	}
	json_t *v = json_object_get(d, "viz");
	json_t *starts = json_object_get(v, "starts"), *priors = json_object_get(v, "priors"),
	       *kept = json_object_get(v, "kept");
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "text")) ||
	    !json_is_array(starts) || !json_is_array(priors) || !json_is_object(kept) ||
	    json_array_size(starts) != json_array_size(priors) || !json_object_size(kept) ||
	    !(json_is_array(json_object_get(d, "results")) ||
	      json_is_object(json_object_get(d, "session")))) {
		fprintf(stderr, "codecomp: viz: %s has no usable \"viz\" section: make it with "
		                "`codecomp localize --json --viz`\n",
		        in);
		goto out;
	}
	/* every mark row must cover every token and every token start lie inside the text */
	{
		size_t nt = json_array_size(starts), tl = json_string_length(json_object_get(v, "text"));
		long long layers = json_integer_value(json_object_get(v, "layers"));
		long long heads = json_integer_value(json_object_get(v, "kv_heads"));
		const char *key;
		json_t *rows, *x;
		size_t i;
		int bad = layers <= 0 || heads <= 0;
		json_array_foreach(starts, i, x) bad |= !json_is_integer(x) ||
		                                        json_integer_value(x) < 0 ||
		                                        (size_t)json_integer_value(x) > tl ||
		                                        (i && json_integer_value(x) <
		                                                      json_integer_value(json_array_get(starts, i - 1)));
		json_object_foreach(kept, key, rows)
		{
			bad |= !json_is_array(rows) || (long long)json_array_size(rows) != layers * heads;
			json_array_foreach(rows, i, x) bad |= !json_is_string(x) || json_string_length(x) != nt;
		}
		if (bad) {
			fprintf(stderr, "codecomp: viz: %s: the \"viz\" section is inconsistent (token "
			                "starts, layers x heads rows, one mark per token)\n",
			        in);
			goto out;
		}
	}
	if (!(data = json_dumps(d, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER))) {
		fprintf(stderr, "codecomp: viz: out of memory\n");
		goto out;
	}
	if (!(f = fopen(outp, "w"))) {
		fprintf(stderr, "codecomp: viz: cannot write %s\n", outp);
		goto out;
	}
	fputs(page_head, f);
	/* '<' only occurs inside JSON strings: as \u003c no text can end or alter the script
	 * element ("</script>", "<!--") */
	for (const char *c = data; *c; c++)
		if (*c == '<')
			fputs("\\u003c", f);
		else
			fputc(*c, f);
	fputs(page_tail, f);
	if (fclose(f)) {
		f = NULL;
		fprintf(stderr, "codecomp: viz: cannot write %s\n", outp);
		goto out;
	}
	f = NULL;
	if (png && render_png(outp, png, w, h))
		goto out;
	ret = 0;
out:
	if (f)
		fclose(f);
	free(data);
	json_decref(d);
	return ret;
}
