// SPDX-License-Identifier: GPL-2.0
/*
 * The show commands: dump devices, peers, SAs and sessions into arrays
 * (restarted when the kernel flags a dump inconsistent), sort them, print.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "objects.h"
#include "print.h"
#include "show.h"

/* A growable array of objects of one type. */
struct vec {
	void	*items;
	size_t	n, cap, size;
};

static void vec_init(struct vec *v, size_t size)
{
	memset(v, 0, sizeof(*v));
	v->size = size;
}

static void *vec_at(const struct vec *v, size_t i)
{
	return (char *)v->items + i * v->size;
}

static int vec_push(struct vec *v, const void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *items = realloc(v->items, cap * v->size);

		if (!items)
			return -ENOMEM;
		v->items = items;
		v->cap = cap;
	}
	memcpy(vec_at(v, v->n++), item, v->size);
	return 0;
}

static void vec_free(struct vec *v)
{
	free(v->items);
	vec_init(v, v->size);
}

static void vec_reset(void *arg)
{
	((struct vec *)arg)->n = 0;
}

/* ---- collecting dump answers --------------------------------------------- */

union any_obj {
	struct l2_dev		dev;
	struct l2_peer		peer;
	struct l2_sa		sa;
	struct l2_session	session;
};

struct collect {
	struct vec	vec;
	int		nest;	/* top-level nest holding each object */
	int		(*decode)(const struct nlattr *nest,
				  union any_obj *obj);
};

static int decode_peer(const struct nlattr *nest, union any_obj *obj)
{
	return l2_decode_peer(nest, &obj->peer);
}

static int decode_sa(const struct nlattr *nest, union any_obj *obj)
{
	return l2_decode_sa(nest, &obj->sa);
}

static int decode_session(const struct nlattr *nest, union any_obj *obj)
{
	return l2_decode_session(nest, &obj->session);
}

static int collect_one(const struct nlattr *nest, void *arg)
{
	struct collect *col = arg;
	union any_obj obj;
	int ret;

	ret = col->decode(nest, &obj);
	if (ret < 0)
		return ret;
	return vec_push(&col->vec, &obj);
}

static int collect_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct collect *col = arg;

	return l2_for_each_nest(nlh, col->nest, collect_one, col);
}

static void collect_reset(void *arg)
{
	vec_reset(&((struct collect *)arg)->vec);
}

static int collect_dev(const struct nlmsghdr *nlh, void *arg)
{
	struct l2_dev dev;
	int ret;

	ret = l2_decode_dev(nlh, &dev);
	if (ret < 0)
		return ret;
	return vec_push(arg, &dev);
}

/* Dump @genl_cmd of one device (by @ifindex, or by name @dev). */
static int fetch_list(struct cli *c, const char *dev, uint32_t ifindex,
		      uint8_t genl_cmd, struct collect *col)
{
	struct l2nl_error err;
	struct nl_msg *msg;
	int ret;

	msg = cli_msg(c, genl_cmd, NLM_F_DUMP, 0);
	if (!msg)
		return -1;
	ret = ifindex ? nla_put_u32(msg, L2TPSEC_A_IFINDEX, ifindex) :
			cli_put_dev(msg, dev);
	if (ret < 0) {
		cli_error(c, "request too large");
		nlmsg_free(msg);
		return -1;
	}
	ret = l2nl_dump(&c->nl, msg, collect_msg, collect_reset, col, &err);
	if (ret < 0)
		cli_report(c, &err, msg);
	nlmsg_free(msg);
	return ret < 0 ? -1 : 0;
}

/* One device by name, or all of them. */
static int fetch_devs(struct cli *c, const char *dev, struct vec *devs)
{
	struct l2nl_error err;
	struct nl_msg *msg;
	int ret;

	msg = cli_msg(c, L2TPSEC_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP, 0);
	if (!msg)
		return -1;
	if (dev && cli_put_dev(msg, dev) < 0) {
		cli_error(c, "request too large");
		nlmsg_free(msg);
		return -1;
	}
	if (dev)
		ret = l2nl_do(&c->nl, msg, collect_dev, devs, &err);
	else
		ret = l2nl_dump(&c->nl, msg, collect_dev, vec_reset, devs,
				&err);
	if (ret < 0)
		cli_report(c, &err, msg);
	nlmsg_free(msg);
	return ret < 0 ? -1 : 0;
}

/* ---- stable output order ------------------------------------------------- */

#define CMP(a, b)	((a) < (b) ? -1 : (a) > (b))

static int cmp_dev(const void *a, const void *b)
{
	const struct l2_dev *x = a, *y = b;

	return CMP(x->ifindex, y->ifindex);
}

static int cmp_peer(const void *a, const void *b)
{
	const struct l2_peer *x = a, *y = b;

	return CMP(x->id, y->id);
}

static int cmp_sa(const void *a, const void *b)
{
	const struct l2_sa *x = a, *y = b;

	if (x->peer_id != y->peer_id)
		return CMP(x->peer_id, y->peer_id);
	if (x->dir != y->dir)
		return CMP(x->dir, y->dir);
	return CMP(x->spi, y->spi);
}

static int cmp_session(const void *a, const void *b)
{
	const struct l2_session *x = a, *y = b;

	if (x->peer_id != y->peer_id)
		return CMP(x->peer_id, y->peer_id);
	if (x->local_tunnel_id != y->local_tunnel_id)
		return CMP(x->local_tunnel_id, y->local_tunnel_id);
	return CMP(x->local_session_id, y->local_session_id);
}

static void vec_sort(struct vec *v, int (*cmp)(const void *, const void *))
{
	if (v->n > 1)
		qsort(v->items, v->n, v->size, cmp);
}

/* ---- the three object kinds ---------------------------------------------- */

enum obj_kind { OBJ_PEER, OBJ_SA, OBJ_SESSION, OBJ_NUM };

static const struct obj_desc {
	uint8_t		genl_cmd;
	int		nest;
	size_t		size;
	const char	*json_key;
	int		(*decode)(const struct nlattr *, union any_obj *);
	int		(*cmp)(const void *, const void *);
} obj_descs[OBJ_NUM] = {
	[OBJ_PEER] = {
		L2TPSEC_CMD_PEER_GET, L2TPSEC_A_PEER, sizeof(struct l2_peer),
		"peers", decode_peer, cmp_peer,
	},
	[OBJ_SA] = {
		L2TPSEC_CMD_SA_GET, L2TPSEC_A_SA, sizeof(struct l2_sa),
		"sas", decode_sa, cmp_sa,
	},
	[OBJ_SESSION] = {
		L2TPSEC_CMD_SESSION_GET, L2TPSEC_A_SESSION,
		sizeof(struct l2_session), "sessions", decode_session,
		cmp_session,
	},
};

static int fetch_objs(struct cli *c, const char *dev, uint32_t ifindex,
		      enum obj_kind kind, struct collect *col)
{
	const struct obj_desc *d = &obj_descs[kind];

	vec_init(&col->vec, d->size);
	col->nest = d->nest;
	col->decode = d->decode;
	if (fetch_list(c, dev, ifindex, d->genl_cmd, col)) {
		vec_free(&col->vec);
		return -1;
	}
	vec_sort(&col->vec, d->cmp);
	return 0;
}

static void print_obj(FILE *f, enum obj_kind kind, const void *obj)
{
	switch (kind) {
	case OBJ_PEER:
		print_peer(f, obj);
		break;
	case OBJ_SA:
		print_sa(f, obj);
		break;
	case OBJ_SESSION:
		print_session(f, obj);
		break;
	case OBJ_NUM:
		break;
	}
}

static void json_obj(struct json *j, enum obj_kind kind, const void *obj)
{
	switch (kind) {
	case OBJ_PEER:
		json_peer(j, obj);
		break;
	case OBJ_SA:
		json_sa(j, obj);
		break;
	case OBJ_SESSION:
		json_session(j, obj);
		break;
	case OBJ_NUM:
		break;
	}
}

/* Print @n objects: blocks separated by blank lines, or a JSON array. */
static void output_objs(struct cli *c, struct json *j, const char *key,
			enum obj_kind kind, const void *items, size_t n,
			bool *first)
{
	size_t i, size = obj_descs[kind].size;

	if (j)
		json_arr_open(j, key);
	for (i = 0; i < n; i++) {
		const void *obj = (const char *)items + i * size;

		if (j) {
			json_obj(j, kind, obj);
			continue;
		}
		if (!*first)
			fputc('\n', c->out);
		*first = false;
		print_obj(c->out, kind, obj);
	}
	if (j)
		json_arr_close(j);
}

static int show_objs(struct cli *c, struct args *a, enum obj_kind kind)
{
	struct collect col;
	struct json j;
	bool first = true;

	if (cli_netlink(c) || fetch_objs(c, a->dev, 0, kind, &col))
		return -1;
	json_init(&j, c->out);
	output_objs(c, c->json ? &j : NULL, NULL, kind, col.vec.items,
		    col.vec.n, &first);
	vec_free(&col.vec);
	return 0;
}

int show_peers(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	(void)cmd;
	return show_objs(c, a, OBJ_PEER);
}

int show_sas(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	(void)cmd;
	return show_objs(c, a, OBJ_SA);
}

int show_sessions(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	(void)cmd;
	return show_objs(c, a, OBJ_SESSION);
}

int show_devs(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	struct vec devs;
	struct json j;
	size_t i;

	(void)cmd;
	vec_init(&devs, sizeof(struct l2_dev));
	if (cli_netlink(c) || fetch_devs(c, a->dev, &devs)) {
		vec_free(&devs);
		return -1;
	}
	vec_sort(&devs, cmp_dev);
	json_init(&j, c->out);
	if (c->json)
		json_arr_open(&j, NULL);
	for (i = 0; i < devs.n; i++) {
		if (c->json) {
			json_obj_open(&j, NULL);
			json_dev_members(&j, vec_at(&devs, i));
			json_obj_close(&j);
			continue;
		}
		if (i)
			fputc('\n', c->out);
		print_dev(c->out, vec_at(&devs, i));
	}
	if (c->json)
		json_arr_close(&j);
	vec_free(&devs);
	return 0;
}

void show_render(struct cli *c, const struct show_dev *devs, size_t n)
{
	struct json j;
	bool first = true;
	size_t i;
	int kind;

	json_init(&j, c->out);
	if (c->json) {
		json_obj_open(&j, NULL);
		json_arr_open(&j, "devices");
	}
	for (i = 0; i < n; i++) {
		const struct show_dev *d = &devs[i];
		const void *items[OBJ_NUM] = { d->peers, d->sas, d->sessions };
		size_t counts[OBJ_NUM] = { d->n_peers, d->n_sas, d->n_sessions };

		if (c->json) {
			json_obj_open(&j, NULL);
			json_dev_members(&j, &d->dev);
		} else {
			if (!first)
				fputc('\n', c->out);
			first = false;
			print_dev(c->out, &d->dev);
		}
		for (kind = 0; kind < OBJ_NUM; kind++)
			output_objs(c, c->json ? &j : NULL,
				    obj_descs[kind].json_key, kind, items[kind],
				    counts[kind], &first);
		if (c->json)
			json_obj_close(&j);
	}
	if (c->json) {
		json_arr_close(&j);
		json_obj_close(&j);
	}
}

/* Hand the objects collected in @col over to @d. */
static void show_dev_take(struct show_dev *d, enum obj_kind kind,
			  struct collect *col)
{
	switch (kind) {
	case OBJ_PEER:
		d->peers = col->vec.items;
		d->n_peers = col->vec.n;
		break;
	case OBJ_SA:
		d->sas = col->vec.items;
		d->n_sas = col->vec.n;
		break;
	case OBJ_SESSION:
		d->sessions = col->vec.items;
		d->n_sessions = col->vec.n;
		break;
	case OBJ_NUM:
		break;
	}
}

int show_fetch_dev(struct cli *c, const char *dev, struct show_dev *d)
{
	struct collect col;
	struct vec devs;
	int kind;

	memset(d, 0, sizeof(*d));
	vec_init(&devs, sizeof(struct l2_dev));
	if (cli_netlink(c) || fetch_devs(c, dev, &devs) || devs.n != 1) {
		vec_free(&devs);
		return -1;
	}
	d->dev = *(struct l2_dev *)vec_at(&devs, 0);
	vec_free(&devs);
	for (kind = 0; kind < OBJ_NUM; kind++) {
		if (fetch_objs(c, NULL, d->dev.ifindex, kind, &col)) {
			show_dev_free(d);
			return -1;
		}
		show_dev_take(d, kind, &col);
	}
	return 0;
}

void show_dev_free(struct show_dev *d)
{
	free(d->peers);
	free(d->sas);
	free(d->sessions);
	memset(d, 0, sizeof(*d));
}

/*
 * Everything. All the dumps are made before printing, so that a failure
 * never leaves half a JSON document.
 */
/*
 * Every device (or @dev) with its peers, SAs and sessions: 0 with *@out
 * (free with show_devs_free()) and *@n, or -1 after printing why.
 */
int show_fetch_all(struct cli *c, const char *dev, struct show_dev **out,
		   size_t *n)
{
	struct show_dev *view = NULL;
	struct collect col;
	struct vec devs;
	size_t i;
	int kind, ret = -1;

	vec_init(&devs, sizeof(struct l2_dev));
	if (cli_netlink(c) || fetch_devs(c, dev, &devs))
		goto out;
	vec_sort(&devs, cmp_dev);
	view = calloc(devs.n ? devs.n : 1, sizeof(*view));
	if (!view) {
		cli_error(c, "out of memory");
		goto out;
	}
	for (i = 0; i < devs.n; i++) {
		view[i].dev = *(struct l2_dev *)vec_at(&devs, i);
		for (kind = 0; kind < OBJ_NUM; kind++) {
			if (fetch_objs(c, NULL, view[i].dev.ifindex, kind,
				       &col))
				goto out;
			show_dev_take(&view[i], kind, &col);
		}
	}
	*out = view;
	*n = devs.n;
	view = NULL;
	ret = 0;
out:
	if (view)
		show_devs_free(view, devs.n);
	vec_free(&devs);
	return ret;
}

void show_devs_free(struct show_dev *view, size_t n)
{
	size_t i;

	for (i = 0; view && i < n; i++) {
		free(view[i].peers);
		free(view[i].sas);
		free(view[i].sessions);
	}
	free(view);
}

int show_all(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	struct show_dev *view;
	size_t n;

	(void)cmd;
	if (show_fetch_all(c, a->dev, &view, &n))
		return -1;
	show_render(c, view, n);
	show_devs_free(view, n);
	return 0;
}

const struct cli_cmd show_cmds[] = {
	{
		.object = "show", .usage = "[DEV]",
		.genl_cmd = L2TPSEC_CMD_DEV_GET, .flags = CMD_DEV_OPT,
		.run = show_all,
	},
	{ .object = NULL }
};
