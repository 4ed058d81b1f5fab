package io.famfs.meta.agent.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory tree behind the server: the root, "dir" holding file "dir/f" and directory "dir/sub", file "top",
 * directory "many" with {@link #MANY} files, and paths that make the handler misbehave ("boom", "huge", "null").
 * Counts every call, so tests can check that a refused request never reached it.
 */
final class TreeHandler implements BridgeHandler {
    static final int MANY = 10_000;
    static final byte[] IDENTITY = "fs-uuid=1234;generation=7".getBytes(StandardCharsets.UTF_8);

    final AtomicLong calls = new AtomicLong();
    private final Map<String, BridgeAttr> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();

    TreeHandler() {
        add("", dir(BridgeAttrDescriptor.ROOT_LOG_INDEX));
        add("dir", dir(0));
        add("dir/f", new BridgeAttr(BridgeAttrDescriptor.KIND_FILE, 0644, 1000, 1001, 4096, 1));
        add("dir/sub", dir(2));
        add("top", new BridgeAttr(BridgeAttrDescriptor.KIND_FILE, 0600, 0, 0, 3L << 30, 3));
        add("many", dir(4));
        for (int i = 0; i < MANY; i++) {
            add("many/" + manyName(i), new BridgeAttr(BridgeAttrDescriptor.KIND_FILE, 0644, 0, 0, i, 5 + i));
        }
    }

    /** Names of varying length, some not ASCII. */
    static String manyName(int i) {
        return (i % 7 == 0 ? "é-" : "file-") + i + "x".repeat(i % 40);
    }

    private static BridgeAttr dir(long index) {
        return new BridgeAttr(BridgeAttrDescriptor.KIND_DIR, 0755, 0, 0, 0, index);
    }

    private void add(String path, BridgeAttr attr) {
        nodes.put(path, attr);
        if (attr.isDirectory()) {
            children.put(path, new ArrayList<>());
        }
        if (!path.isEmpty()) {
            int slash = path.lastIndexOf('/');
            children.get(slash < 0 ? "" : path.substring(0, slash)).add(path.substring(slash + 1));
        }
    }

    /** The fmap the handler serves for a file: opaque bytes derived from the path. */
    static byte[] fmapOf(String path) {
        return ("fmap of " + path).getBytes(StandardCharsets.UTF_8);
    }

    /** The daxdev answer for index 0: 280 bytes, index u16 @0, name @24. */
    static byte[] daxdev0() {
        byte[] b = new byte[280];
        byte[] name = "/dev/dax0.0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, b, 24, name.length);
        return b;
    }

    private BridgeAttr node(String path) throws BridgeException {
        calls.incrementAndGet();
        misbehave(path);
        BridgeAttr attr = nodes.get(path);
        if (attr == null) {
            throw new BridgeException(Errno.ENOENT.value(), "no such path: " + path);
        }
        return attr;
    }

    private static void misbehave(String path) {
        if (path.equals("boom")) {
            throw new IllegalStateException("a bug in the handler");
        }
    }

    @Override
    public byte[] identity() {
        calls.incrementAndGet();
        return IDENTITY;
    }

    @Override
    public BridgeAttr lookup(String path) throws BridgeException {
        return path.equals("null") ? null : node(path);
    }

    @Override
    public BridgeAttr getattr(String path) throws BridgeException {
        return node(path);
    }

    @Override
    public BridgeDirents readdir(String path, long cookie, int budget) throws BridgeException {
        BridgeAttr attr = node(path);
        if (!attr.isDirectory()) {
            throw new BridgeException(Errno.ENOTDIR.value(), "not a directory: " + path);
        }
        List<String> names = children.get(path);
        if (cookie < 0 || cookie > names.size()) {
            throw new BridgeException(Errno.EINVAL.value(), "no such cookie: " + cookie);
        }
        BridgeDirents.Builder page = BridgeDirents.builder(budget);
        // An entry's cookie is its position + 1: READDIR from it resumes at the next position.
        for (int i = (int) cookie; i < names.size(); i++) {
            String child = path.isEmpty() ? names.get(i) : path + "/" + names.get(i);
            if (!page.add(new BridgeDirents.Entry(names.get(i), nodes.get(child).kind(), i + 1))) {
                return page.build(true);
            }
        }
        return page.build(false);
    }

    @Override
    public byte[] getFmap(String path) throws BridgeException {
        if (path.equals("huge")) {
            calls.incrementAndGet();
            return new byte[BridgeProtocolDescriptor.MAX_REPLY_PAYLOAD + 1];
        }
        if (node(path).isDirectory()) {
            throw new BridgeException(Errno.EINVAL.value(), "a directory has no fmap: " + path);
        }
        return fmapOf(path);
    }

    @Override
    public byte[] getDaxdev(int index) throws BridgeException {
        calls.incrementAndGet();
        return switch (index) {
            case 0 -> daxdev0();
            case 1 -> new byte[100]; // the wrong size: the server must not send it
            default -> throw new BridgeException(Errno.ENOENT.value(), "no daxdev " + index);
        };
    }
}
