/* replay.c - a plain main() for a libFuzzer target, so that `make check`
 * runs every input of a fuzz corpus (and every crash found so far) through
 * the target under ASan/UBSan without needing clang's libFuzzer.
 *
 *     replay_NAME PATH...     files, or folders read recursively
 *
 * Exit 0 when every input ran; a crash aborts through the sanitizers. */
#include <dirent.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long count;

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        int rc = 0;
        if (!d)
            return -1;
        while ((e = readdir(d))) {
            char sub[4096];
            if (e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            if (run_path(sub) < 0)
                rc = -1;
        }
        closedir(d);
        return rc;
    }
    {
        struct rc_buf b;
        struct rc_err err = RC_ERR_INIT;
        rc_buf_init(&b, (size_t)64 << 20);
        if (rc_buf_read_file(&b, path, &err) < 0) {
            fprintf(stderr, "replay: %s: %s\n", path, err.msg);
            return -1;
        }
        /* a fresh copy of exactly the input's size, so ASan sees overreads */
        {
            uint8_t *copy = malloc(b.len ? b.len : 1);
            if (!copy)
                return -1;
            if (b.len)
                memcpy(copy, b.data, b.len);
            LLVMFuzzerTestOneInput(copy, b.len);
            free(copy);
        }
        rc_buf_release(&b);
        count++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i]) < 0)
            rc = 1;
    printf("replayed %ld inputs\n", count);
    return rc;
}
