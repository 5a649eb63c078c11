/*
 * test_agent_batch.c - continuous batching and device placement of agent sessions, on the
 * shared model with two CPU engines standing in for devices ("cpu,cpu"): sessions are placed
 * on the engine with the most free KV memory; concurrent generate calls (greedy and sampled,
 * stop strings, several per session) give exactly the tokens of the same calls one by one and
 * of an agent without batching, and really ran batched (steps with several rows); the pools
 * are back to the sessions' own blocks afterwards; a streaming callback that stops early; a
 * device that fails (injected) is taken out: its sessions answer an error naming it, new
 * sessions go to the other device, models reports it; bad device lists are refused.
 */
#include "cc_agent.h"
#include "cc_agent_reply.h"
#include "cc_compress.h"
#include "test.h"
#include "../engine/tiny_ckpt.h"

#include <pthread.h>
#include <unistd.h>

static const char *model;

#define N_SESS 3
#define N_REQ 8

static char *synth(size_t n_funcs, size_t seed, size_t *len)
{
	size_t cap = n_funcs * 220 + 64, o = 0;
	char *t = malloc(cap);
	for (size_t i = 0; i < n_funcs; i++)
		o += (size_t)snprintf(t + o, cap - o,
		                      "def part_%zu_%zu(items, limit):\n    if len(items) > limit:\n"
		                      "        return items[:%zu]\n    total = sum(items) * %zu\n"
		                      "    return part_%zu_%zu(items + [total], limit)\n\n",
		                      seed, i, i + 1, (i + seed) % 7 + 2, seed, i ? i - 1 : 0);
	*len = o;
	return t;
}

typedef struct {
	cc_agent *a;
	const char *id;
	const char *prompt;
	float temperature;
	uint64_t seed;
	const char *stop;
	int rc;
	cc_agent_gen_result r;
} job;

static void job_run(job *j)
{
	cc_agent_gen_opts g = {0};
	const char *stops[1] = {j->stop};
	g.prompt = j->prompt;
	g.prompt_len = strlen(j->prompt);
	g.max_new = 20;
	g.no_eos = 1;
	g.temperature = j->temperature;
	g.top_p = j->temperature > 0 ? 0.9f : 1;
	g.seed = j->seed;
	if (j->stop) {
		g.stop = stops;
		g.n_stop = 1;
	}
	j->rc = cc_agent_session_generate(&j->r, j->a, j->id, &g);
}

static void *job_thread(void *p)
{
	job_run(p);
	return NULL;
}

static const char *prompts[4] = {"def main(argv):\n", "class Runner:\n    def __init__(self",
                                 "# helpers\nimport os\n\ndef", "def part_9_0(items"};

static void jobs_setup(job *jobs, cc_agent *a, char ids[][32])
{
	for (int i = 0; i < N_REQ; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].a = a;
		jobs[i].id = ids[i % N_SESS];
		jobs[i].prompt = prompts[i % 4];
		jobs[i].temperature = i % 3 == 2 ? 0.8f : 0; /* some sampled, with their own seed */
		jobs[i].seed = 1000 + (uint64_t)i;
		jobs[i].stop = i == 5 ? "\n" : NULL;
	}
}

static const cc_agent_device_info *device(const cc_agent_model_info *m, const char *id)
{
	for (size_t i = 0; i < m->n_devices; i++)
		if (!strcmp(m->devices[i].id, id))
			return &m->devices[i];
	return NULL;
}

static int stop_after_3(void *ud, int32_t id, const char *piece, size_t len)
{
	int *n = ud;
	(void)id;
	(void)piece;
	(void)len;
	return ++*n >= 3;
}

static void test_batching(void)
{
	cc_agent *a = NULL, *plain = NULL;
	cc_agent_opts ao = {0};
	cc_agent_session_info info[N_SESS];
	char ids[N_SESS][32], plain_ids[N_SESS][32];
	job seq[N_REQ], conc[N_REQ], alone[N_REQ];
	pthread_t th[N_REQ];
	cc_agent_model_info *mi;
	size_t nm, used_before[2] = {0, 0};
	char *texts[N_SESS];
	size_t lens[N_SESS];

	ao.kv_tokens = 8192;
	ao.n_threads = 2;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cpu,cpu"), CC_OK);
	ao.no_batch = 1;
	CHECK_EQ_INT(cc_agent_new(&plain, &ao), CC_OK);

	/* placement: the first session on cpu:0 (all equal), the second where more is free */
	for (int i = 0; i < N_SESS; i++) {
		cc_agent_open_opts o = {0};
		texts[i] = synth(6 + 3 * (size_t)i, (size_t)i, &lens[i]);
		o.model = model;
		o.text = texts[i];
		o.text_len = lens[i];
		o.policy = i == 1 ? CC_AGENT_POLICY_FULL : CC_POLICY_SNAPKV;
		o.budget = 0.5;
		CHECK_EQ_INT(cc_agent_session_open(&info[i], a, &o), CC_OK);
		memcpy(ids[i], info[i].id, sizeof(ids[i]));
		{
			cc_agent_session_info pi;
			CHECK_EQ_INT(cc_agent_session_open(&pi, plain, &o), CC_OK);
			memcpy(plain_ids[i], pi.id, sizeof(plain_ids[i]));
			cc_agent_session_info_clear(&pi);
		}
	}
	CHECK_EQ_STR(info[0].device_id, "cpu:0");
	CHECK_EQ_STR(info[1].device_id, "cpu:1");
	CHECK_EQ_INT(cc_agent_models(&mi, &nm, a), CC_OK);
	CHECK_EQ_INT(nm, 1);
	CHECK_EQ_INT(mi[0].n_devices, 2);
	if (mi[0].n_devices == 2) {
		/* the third went where more was free; each device's memory is its sessions' */
		const cc_agent_device_info *d0 = device(&mi[0], "cpu:0"), *d1 = device(&mi[0], "cpu:1");
		size_t held[2] = {0, 0};
		CHECK(d0 && d1);
		for (int i = 0; i < N_SESS; i++)
			held[!strcmp(info[i].device_id, "cpu:1")] += info[i].kv_bytes_held;
		CHECK_EQ_INT(d0->kv_bytes_used, held[0]);
		CHECK_EQ_INT(d1->kv_bytes_used, held[1]);
		CHECK_EQ_INT(d0->n_sessions + d1->n_sessions, N_SESS);
		CHECK_EQ_INT(mi[0].kv_bytes_used, held[0] + held[1]);
		CHECK_EQ_INT(mi[0].kv_bytes_capacity, d0->kv_bytes_capacity + d1->kv_bytes_capacity);
		/* the second session (full cache) holds more than the first (half): the third goes
		 * to cpu:0 */
		CHECK_EQ_STR(info[2].device_id, "cpu:0");
		used_before[0] = d0->kv_bytes_used;
		used_before[1] = d1->kv_bytes_used;
	}
	cc_agent_models_free(mi, nm);

	/* one by one, then all at once; and the agent without batching */
	jobs_setup(seq, a, ids);
	for (int i = 0; i < N_REQ; i++)
		job_run(&seq[i]);
	jobs_setup(conc, a, ids);
	for (int i = 0; i < N_REQ; i++)
		pthread_create(&th[i], NULL, job_thread, &conc[i]);
	for (int i = 0; i < N_REQ; i++)
		pthread_join(th[i], NULL);
	jobs_setup(alone, plain, plain_ids);
	for (int i = 0; i < N_REQ; i++)
		pthread_create(&th[i], NULL, job_thread, &alone[i]);
	for (int i = 0; i < N_REQ; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < N_REQ; i++) {
		CHECK_EQ_INT(seq[i].rc, CC_OK);
		CHECK_EQ_INT(conc[i].rc, CC_OK);
		CHECK_EQ_INT(alone[i].rc, CC_OK);
		if (seq[i].rc || conc[i].rc || alone[i].rc)
			continue;
		CHECK_EQ_INT(conc[i].r.n_ids, seq[i].r.n_ids);
		CHECK_EQ_INT(alone[i].r.n_ids, seq[i].r.n_ids);
		CHECK(seq[i].r.n_ids > 0);
		if (conc[i].r.n_ids == seq[i].r.n_ids)
			CHECK(!memcmp(conc[i].r.ids, seq[i].r.ids, seq[i].r.n_ids * sizeof(int32_t)));
		if (alone[i].r.n_ids == seq[i].r.n_ids)
			CHECK(!memcmp(alone[i].r.ids, seq[i].r.ids, seq[i].r.n_ids * sizeof(int32_t)));
		CHECK_EQ_STR(conc[i].r.text, seq[i].r.text);
		CHECK_EQ_STR(conc[i].r.finish, seq[i].r.finish);
		if (i == 5) {
			/* the stop string cut the text */
			CHECK_EQ_STR(seq[i].r.finish, "stop");
			CHECK(!strchr(seq[i].r.text, '\n'));
		}
	}
	CHECK_EQ_INT(cc_agent_models(&mi, &nm, a), CC_OK);
	if (nm == 1 && mi[0].n_devices == 2) {
		size_t max_rows = 0;
		for (size_t d = 0; d < 2; d++) {
			if (mi[0].devices[d].max_rows > max_rows)
				max_rows = mi[0].devices[d].max_rows;
			CHECK_EQ_INT(mi[0].devices[d].kv_bytes_used, used_before[d]); /* forks freed */
			CHECK_EQ_INT(mi[0].devices[d].generating, 0);
		}
		CHECK(max_rows >= 2); /* concurrent requests shared steps */
	}
	cc_agent_models_free(mi, nm);
	for (int i = 0; i < N_REQ; i++) {
		cc_agent_gen_result_clear(&seq[i].r);
		cc_agent_gen_result_clear(&conc[i].r);
		cc_agent_gen_result_clear(&alone[i].r);
	}

	/* a streaming callback that stops after 3 tokens, while others run */
	{
		cc_agent_gen_opts g = {0};
		cc_agent_gen_result r;
		int n = 0;
		jobs_setup(conc, a, ids);
		for (int i = 0; i < 3; i++)
			pthread_create(&th[i], NULL, job_thread, &conc[i]);
		g.prompt = prompts[0];
		g.prompt_len = strlen(prompts[0]);
		g.max_new = 20;
		g.no_eos = 1;
		g.on_token = stop_after_3;
		g.ud = &n;
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, ids[0], &g), CC_OK);
		CHECK_EQ_STR(r.finish, "callback");
		CHECK_EQ_INT(r.n_ids, 3);
		CHECK_EQ_INT(n, 3);
		for (int i = 0; i < 3; i++) {
			pthread_join(th[i], NULL);
			CHECK_EQ_INT(conc[i].rc, CC_OK);
			cc_agent_gen_result_clear(&conc[i].r);
		}
		cc_agent_gen_result_clear(&r);
	}

	/* a device that fails mid-generation is taken out */
	{
		cc_agent_gen_result r;
		cc_agent_gen_opts g = {0};
		cc_agent_session_info ni;
		cc_agent_open_opts o = {0};
		int on1 = !strcmp(info[1].device_id, "cpu:1") ? 1 : -1;
		CHECK(on1 == 1);
		/* the prompt's prefill works, the first batched step fails */
		setenv("CC_AGENT_FAIL_DEVICE", "cpu:1@decode", 1);
		g.prompt = prompts[1];
		g.prompt_len = strlen(prompts[1]);
		g.max_new = 8;
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, ids[1], &g), CC_ECUDA);
		CHECK(strstr(cc_error_last(), "cpu:1") && strstr(cc_error_last(), "injected"));
		unsetenv("CC_AGENT_FAIL_DEVICE");
		/* from now on its sessions answer that the device is out */
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, ids[1], &g), CC_EIO);
		CHECK(strstr(cc_error_last(), "cpu:1") && strstr(cc_error_last(), "taken out"));
		CHECK_EQ_INT(cc_agent_session_score(&(cc_agent_score_result){0}, a, ids[1], "x = 1\n",
		                                    6),
		             CC_EIO);
		/* the other device still serves */
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, ids[0], &g), CC_OK);
		cc_agent_gen_result_clear(&r);
		/* new sessions go to the device that is left */
		o.model = model;
		o.text = texts[0];
		o.text_len = lens[0];
		o.policy = CC_AGENT_POLICY_FULL;
		CHECK_EQ_INT(cc_agent_session_open(&ni, a, &o), CC_OK);
		CHECK_EQ_STR(ni.device_id, "cpu:0");
		cc_agent_session_info_clear(&ni);
		CHECK_EQ_INT(cc_agent_models(&mi, &nm, a), CC_OK);
		if (nm == 1 && mi[0].n_devices == 2) {
			const cc_agent_device_info *d1 = device(&mi[0], "cpu:1");
			CHECK(d1 && d1->failed && strstr(d1->failed, "injected"));
			CHECK(device(&mi[0], "cpu:0") && !device(&mi[0], "cpu:0")->failed);
			json_t *j = cc_agent_models_json(mi, nm);
			json_t *devs = json_object_get(json_array_get(json_object_get(j, "models"), 0),
			                               "devices");
			CHECK_EQ_INT(json_array_size(devs), 2);
			CHECK(json_is_string(json_object_get(json_array_get(devs, 1), "failed")));
			CHECK(json_is_null(json_object_get(json_array_get(devs, 0), "failed")));
			json_decref(j);
		}
		cc_agent_models_free(mi, nm);
		/* an operator takes the last one out: opening is refused, naming why */
		CHECK_EQ_INT(cc_agent_device_fail(a, model, CC_DEVICE_CPU, "cpu:0", "drained"), CC_OK);
		CHECK_EQ_INT(cc_agent_device_fail(a, model, CC_DEVICE_CPU, "cpu:7", "x"), CC_ENOTFOUND);
		CHECK_EQ_INT(cc_agent_session_open(&ni, a, &o), CC_EIO);
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, ids[0], &g), CC_EIO);
		CHECK(strstr(cc_error_last(), "drained") != NULL);
		/* closing sessions on failed devices still works */
		for (int i = 0; i < N_SESS; i++)
			CHECK_EQ_INT(cc_agent_session_close(a, ids[i]), CC_OK);
	}
	for (int i = 0; i < N_SESS; i++) {
		cc_agent_session_info_clear(&info[i]);
		free(texts[i]);
	}
	cc_agent_free(a);
	cc_agent_free(plain);
}

static void test_device_lists(void)
{
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	ao.kv_tokens = 4096;
	ao.n_threads = 1;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cpu,cuda"), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "mixes") != NULL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "gpu:0"), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "gpu") != NULL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cuda:0,cuda:0"), CC_EINVAL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cuda:x"), CC_EINVAL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cuda:all,cuda:1"), CC_EINVAL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, ""), CC_EINVAL);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cpu,,cpu"), CC_EINVAL);
	/* one engine by default; a later list for the same kind keeps what is loaded */
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cpu"), CC_OK);
	CHECK_EQ_INT(cc_agent_model_load_devices(a, model, "cpu,cpu"), CC_OK);
	{
		cc_agent_model_info *mi;
		size_t nm;
		CHECK_EQ_INT(cc_agent_models(&mi, &nm, a), CC_OK);
		CHECK_EQ_INT(nm, 1);
		if (nm == 1) {
			CHECK_EQ_INT(mi[0].n_devices, 1);
			CHECK_EQ_STR(mi[0].devices[0].id, "cpu:0");
		}
		cc_agent_models_free(mi, nm);
	}
	cc_agent_free(a);
}

/* A model whose vocabulary is padded past its tokenizer's (real checkpoints round it up):
 * generation samples only ids the tokenizer can decode, batched or not. */
static void test_padded_vocab(void)
{
	static const tiny_shape shape = {"padded vocabulary", 0, 2, 32, 4, 2, 16, 64, 16384, 0};
	char dir[] = "/tmp/cc_padvocab_XXXXXX", cmd[1200];
	tiny_model tm;
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	cc_agent_session_info info;
	cc_agent_open_opts o = {0};
	job jobs[4];
	pthread_t th[4];
	const char *text = "def f(x):\n    return x + 1\n";

	if (!mkdtemp(dir))
		return;
	tiny_model_make(&tm, &shape, 7);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	tiny_model_free(&tm);
	snprintf(cmd, sizeof(cmd), "cp %s/tokenizer.json %s/tokenizer_config.json %s/", model, model,
	         dir);
	CHECK_EQ_INT(system(cmd), 0);
	ao.kv_tokens = 4096;
	ao.n_threads = 1;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	o.model = dir;
	o.text = text;
	o.text_len = strlen(text);
	o.policy = CC_AGENT_POLICY_FULL;
	CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_OK);
	/* sampled at a high temperature from a random model: ids past the tokenizer's 8192
	 * would come up almost surely (half the vocabulary) if they could be drawn */
	for (int i = 0; i < 4; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].a = a;
		jobs[i].id = info.id;
		jobs[i].prompt = prompts[i];
		jobs[i].temperature = 5;
		jobs[i].seed = 77 + (uint64_t)i;
		pthread_create(&th[i], NULL, job_thread, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ_INT(jobs[i].rc, CC_OK);
		CHECK_EQ_INT(jobs[i].r.n_ids, 20);
		for (size_t k = 0; k < jobs[i].r.n_ids; k++)
			CHECK(jobs[i].r.ids[k] >= 0 && jobs[i].r.ids[k] < 8192);
		cc_agent_gen_result_clear(&jobs[i].r);
	}
	cc_agent_session_info_clear(&info);
	cc_agent_free(a);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
	if (!(model = test_model_dir())) {
		fprintf(stderr, "test_agent_batch: the shared model is absent "
		                "(../shared/models/pycode-16m or CC_MODEL_DIR), skipped\n");
		return 77;
	}
	test_device_lists();
	test_padded_vocab();
	test_batching();
	return test_result();
}
