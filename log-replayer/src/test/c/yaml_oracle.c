/*
 * Test-fixture generator (not part of the build): emits the famfs shadow YAML for each path read from stdin, one per
 * line, with the real libyaml, using the event sequence famfs's emitter uses (block mappings, every scalar plain
 * with both implicit flags set, explicit document start and end, default emitter settings). Output: one line per
 * path, "<hex of path> <hex of yaml>". Regenerate src/test/resources/shadow/path-oracle.txt (the paths come from
 * io.famfs.meta.shadow.OraclePaths), from the repository root:
 *   gcc -O2 -o /tmp/yaml_oracle log-replayer/src/test/c/yaml_oracle.c -lyaml
 *   java log-replayer/src/test/java/io/famfs/meta/shadow/OraclePaths.java | /tmp/yaml_oracle \
 *       > log-replayer/src/test/resources/shadow/path-oracle.txt
 */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

struct buf { unsigned char data[65536]; size_t len; };

static int sink(void *ctx, unsigned char *bytes, size_t size) {
    struct buf *b = ctx;
    memcpy(b->data + b->len, bytes, size);
    b->len += size;
    return 1;
}

static void scalar(yaml_emitter_t *e, const char *s) {
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, -1, 1, 1, YAML_PLAIN_SCALAR_STYLE);
    if (!yaml_emitter_emit(e, &ev)) { fprintf(stderr, "emit failed: %s\n", e->problem); }
}

static void emit(const char *path, struct buf *out) {
    yaml_emitter_t e;
    yaml_event_t ev;
    out->len = 0;
    yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, sink, out);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING); yaml_emitter_emit(&e, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0); yaml_emitter_emit(&e, &ev);
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE); yaml_emitter_emit(&e, &ev);
    scalar(&e, "file");
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE); yaml_emitter_emit(&e, &ev);
    scalar(&e, "path"); scalar(&e, path);
    scalar(&e, "size"); scalar(&e, "4096");
    scalar(&e, "flags"); scalar(&e, "2");
    scalar(&e, "mode"); scalar(&e, "0644");
    scalar(&e, "uid"); scalar(&e, "0");
    scalar(&e, "gid"); scalar(&e, "0");
    scalar(&e, "nextents"); scalar(&e, "1");
    scalar(&e, "simple_ext_list");
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE); yaml_emitter_emit(&e, &ev);
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE); yaml_emitter_emit(&e, &ev);
    scalar(&e, "devindex"); scalar(&e, "0");
    scalar(&e, "offset"); scalar(&e, "0xa00000");
    scalar(&e, "length"); scalar(&e, "0x200000");
    yaml_mapping_end_event_initialize(&ev); yaml_emitter_emit(&e, &ev);
    yaml_sequence_end_event_initialize(&ev); yaml_emitter_emit(&e, &ev);
    yaml_mapping_end_event_initialize(&ev); yaml_emitter_emit(&e, &ev);
    yaml_mapping_end_event_initialize(&ev); yaml_emitter_emit(&e, &ev);
    yaml_document_end_event_initialize(&ev, 0); yaml_emitter_emit(&e, &ev);
    yaml_stream_end_event_initialize(&ev); yaml_emitter_emit(&e, &ev);
    yaml_emitter_flush(&e);
    yaml_emitter_delete(&e);
}

int main(void) {
    static char line[4096];
    static struct buf out;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = 0;
        emit(line, &out);
        for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char)line[i]);
        printf(" ");
        for (size_t i = 0; i < out.len; i++) printf("%02x", out.data[i]);
        printf("\n");
    }
    return 0;
}
