/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: users and addresses.
 *
 * secrets: a pppd chap-secrets compatible file, one user a line:
 *
 *	# client	server	secret		addresses
 *	alice		*	"wonder land"	*
 *	bob		l2tpsec	builder		10.99.0.50
 *
 * Read as pppd reads it (getword() in pppd/options.c): blanks separate
 * words, "double" or 'single' quotes keep blanks and '#', a backslash
 * escapes (C escapes, \s, octal, \x), '#' starts a comment, also in the
 * middle of an unquoted word. Client or server "*" matches any name. The
 * addresses: "*" one from the pool, an IPv4 address pins the user to it,
 * "-" or none: no address (the login is refused at IPCP). Lines pppd would
 * skip are skipped with a warning; so are lines PPP cannot use (a name
 * over 64 bytes, a secret over 128). The file must not be readable by
 * group or others.
 *
 * pool: IPv4 ranges handed out one address per session, with exclusions
 * (the server's own address, pinned addresses, anything configured).
 *
 * block: users refused at login for a while (`l2tpsec kick user NAME
 * --block SECONDS`), until the time is up or `l2tpsec unblock` lifts it.
 */
#ifndef L2TPSECD_AUTH_H
#define L2TPSECD_AUTH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct secrets;

/*
 * Load @path: refuses a file others can read, and reports the first broken
 * line as "FILE:LINE: what was expected". 0 or -errno with @err set.
 */
int secrets_load(const char *path, struct secrets **out, char *err,
		 size_t err_len);
/* The same from a string (no permission check); @name labels errors. */
int secrets_parse(const char *name, const char *text, struct secrets **out,
		  char *err, size_t err_len);
void secrets_free(struct secrets *s);
unsigned int secrets_count(const struct secrets *s);

/* What a chap-secrets line lets its user have. */
enum secret_addr {
	SECRET_ADDR_NONE,	/* "-", no address field, or unsupported */
	SECRET_ADDR_POOL,	/* "*" */
	SECRET_ADDR_FIXED,	/* one IPv4 address */
};

struct secret_user {
	/* the line's client name; the name as given for a "*" client */
	char			name[65];
	enum secret_addr	addr;
	struct in_addr		pinned;		/* SECRET_ADDR_FIXED */
};

/*
 * The secret of @user for server name @server, as pppd picks it (a named
 * client before "*", a named server before "*", then the first line).
 * @u (may be NULL) gets the line's user and address. 0, -ENOENT, or
 * -ENOSPC when @size is too small.
 */
int secrets_lookup(const struct secrets *s, const char *user,
		   const char *server, char *secret, size_t size,
		   struct secret_user *u);

struct pool;
/*
 * One warning line ("FILE:LINE: ...") for each pinned address that is the
 * server's @local address or outside every range of @p.
 */
void secrets_check_addrs(const struct secrets *s, const char *file,
			 struct in_addr local, const struct pool *p);
/* Call @fn for each fixed address (to exclude them from the pool). */
void secrets_for_each_pinned(const struct secrets *s,
			     void (*fn)(void *arg, struct in_addr a),
			     void *arg);

struct pool;

struct pool *pool_new(void);
void pool_free(struct pool *p);
/* Host-order inclusive ranges. 0, -EINVAL, -ENOMEM. */
int pool_add_range(struct pool *p, uint32_t first, uint32_t last);
int pool_exclude(struct pool *p, uint32_t first, uint32_t last);
/*
 * Parse "A.B.C.D", "A.B.C.D-E.F.G.H" or "A.B.C.D/N" (host addresses of
 * the prefix: without network and broadcast for N < 31). 0 or -EINVAL.
 */
int pool_parse_range(const char *s, uint32_t *first, uint32_t *last);

/* Whether host-order @a is in one of the ranges. */
bool pool_contains(const struct pool *p, uint32_t a);
/* A free dynamic address. 0 or -ENOSPC. */
int pool_alloc(struct pool *p, struct in_addr *out);
/* A pinned address: 0, or -EBUSY when another session holds it. */
int pool_reserve(struct pool *p, struct in_addr a);
void pool_release(struct pool *p, struct in_addr a);
unsigned int pool_size(const struct pool *p);	/* dynamic addresses */
unsigned int pool_in_use(const struct pool *p);
/*
 * Reload: @to (the new ranges, not yet used) takes over every address in
 * use in @from. One inside a range of @to is marked used there; one no
 * longer in any range is held outside them (never handed out again) until
 * pool_release(). 0 or -ENOMEM.
 */
int pool_take_over(struct pool *to, const struct pool *from);

struct block_list;

#define BLOCK_MAX_USER	64

struct block_list *block_list_new(void);
void block_list_free(struct block_list *b);
/*
 * Block @user for @seconds from @now_ms (monotonic ms); a user already
 * blocked gets the new end. 0, -EINVAL (empty or long name, 0 s), -ENOMEM.
 */
int block_add(struct block_list *b, const char *user, uint64_t now_ms,
	      uint32_t seconds);
/* Lift a block: 0, or -ENOENT when @user is not (or no longer) blocked. */
int block_remove(struct block_list *b, const char *user, uint64_t now_ms);
/* Seconds @user stays blocked, rounded up; 0: not blocked. */
uint32_t block_remaining(struct block_list *b, const char *user,
			 uint64_t now_ms);
/* Expired blocks are dropped, then @fn (may be NULL) sees each other one;
 * returns how many there are. */
unsigned int block_for_each(struct block_list *b, uint64_t now_ms,
			    void (*fn)(void *arg, const char *user,
				       uint32_t remaining_s),
			    void *arg);

#endif
