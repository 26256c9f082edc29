/* http_cache.c - the answers of the read-only routes that the dashboard
 * asks again and again (/api/load, its chart): each costs opening the log
 * and building the report (about 3 ms on two cores), the answer itself a
 * few kB. An answer is kept while the log's files look the same (the
 * database's and its WAL's size, time and inode), no request through this
 * server has changed anything since (srv->generation), it is the same
 * hour, and it is under HTTP_CACHE_TTL_S old.
 *
 * NEEDSWORK: another process's write that leaves the WAL's size as it was
 * (a WAL reset then a commit smaller than the old file) within one tick
 * of the file clock is seen only when the entry expires, up to
 * HTTP_CACHE_TTL_S later; a log kept open with SQLite's data_version
 * would see it at once. */
#include <sys/stat.h>

#include "base/base.h"
#include "base/time.h"
#include "http/http_int.h"

#define HTTP_CACHE_TTL_S 1.0

struct entry {
    char key[600];
    struct http_stamp st;
    double made_s;
    char *body;
    size_t len;
    const char *type;
    bool used;
};

static struct entry entries[HTTP_CACHE_ENTRIES];
static unsigned next_slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void file_stamp(const char *path, struct http_file_stamp *f)
{
    struct stat st;
    memset(f, 0, sizeof(*f));
    if (stat(path, &st) == 0) {
        f->size = (long long)st.st_size;
        f->ino = (long long)st.st_ino;
        f->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
                      st.st_mtim.tv_nsec;
    }
}

static void stamp_now(const struct http_server *srv, struct http_stamp *s,
                      double now_s)
{
    char wal[sizeof(srv->db_path) + 8];
    memset(s, 0, sizeof(*s));
    file_stamp(srv->db_path, &s->db);
    snprintf(wal, sizeof(wal), "%s-wal", srv->db_path);
    file_stamp(wal, &s->wal);
    s->generation = __atomic_load_n(&srv->generation, __ATOMIC_SEQ_CST);
    s->hour = (long)floor(now_s / 3600);
}

static bool key_of(const struct http_req *req, char *key, size_t n)
{
    int k = snprintf(key, n, "%s %s?%s", req->method, req->path,
                     req->query ? req->query : "");
    return k > 0 && (size_t)k < n;
}

bool http_cache_get(const struct http_server *srv, const struct http_req *req,
                    struct http_resp *resp, struct http_stamp *now)
{
    char key[sizeof(entries[0].key)];
    struct http_stamp st;
    double now_s = rc_now();
    bool hit = false;

    stamp_now(srv, &st, now_s);
    st.made_s = 0;
    *now = st;
    now->made_s = now_s;
    if (!srv->db_path[0] || !key_of(req, key, sizeof(key)))
        return false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < HTTP_CACHE_ENTRIES && !hit; i++) {
        struct entry *e = &entries[i];
        if (!e->used || strcmp(e->key, key) ||
            memcmp(&e->st, &st, sizeof(st)) ||
            now_s - e->made_s > HTTP_CACHE_TTL_S || now_s < e->made_s)
            continue;
        resp->body = malloc(e->len + 1);
        if (resp->body) {
            memcpy(resp->body, e->body, e->len + 1);
            resp->len = e->len;
            resp->type = e->type;
            resp->status = 200;
            resp->is_api = true;
            resp->body_static = false;
            hit = true;
        }
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void http_cache_put(const struct http_server *srv, const struct http_req *req,
                    const struct http_resp *resp, const struct http_stamp *st)
{
    struct entry *e;
    char *copy;

    /* stamped as the log looked before the answer was begun: a write
     * during it changes the stamp, so the entry is never used */
    if (!srv->db_path[0] || resp->status != 200 || resp->body_static)
        return;
    if (!(copy = malloc(resp->len + 1)))
        return;
    memcpy(copy, resp->body, resp->len);
    copy[resp->len] = '\0';
    pthread_mutex_lock(&lock);
    e = &entries[next_slot++ % HTTP_CACHE_ENTRIES];
    free(e->body);
    memset(e, 0, sizeof(*e));
    if (!key_of(req, e->key, sizeof(e->key))) {
        free(copy);
    } else {
        e->st = *st;
        e->st.made_s = 0;
        e->made_s = st->made_s;
        e->body = copy;
        e->len = resp->len;
        e->type = resp->type;
        e->used = true;
    }
    pthread_mutex_unlock(&lock);
}

void http_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < HTTP_CACHE_ENTRIES; i++) {
        free(entries[i].body);
        memset(&entries[i], 0, sizeof(entries[i]));
    }
    pthread_mutex_unlock(&lock);
}
