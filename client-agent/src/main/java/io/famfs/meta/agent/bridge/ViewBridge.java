package io.famfs.meta.agent.bridge;

import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Node;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bridge's answers from this host's view: attributes, directory pages, GET_FMAP bytes ({@link FmapWire}) and the
 * daxdev record naming this host's device. Misses map to errno here: ENOENT when the view is current, ESTALE while it
 * is replayed after a purge (the file may well exist), EINVAL for a path the view cannot hold.
 */
public final class ViewBridge implements BridgeHandler {
    private final AgentView view;
    private final String daxdevPath;

    /** @param daxdevPath this host's path of the file system's daxdev (index 0), as GET_DAXDEV answers it */
    public ViewBridge(AgentView view, String daxdevPath) {
        this.view = view;
        this.daxdevPath = daxdevPath;
    }

    @Override
    public byte[] identity() {
        AgentView.Status st = view.status();
        String id = st.identity() == null
                ? "fs_uuid= generation=" + st.generation()
                : "fs_uuid=" + st.identity().fsUuid() + " generation=" + st.generation();
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public BridgeAttr lookup(String path) throws BridgeException {
        return attr(node(path));
    }

    @Override
    public BridgeAttr getattr(String path) throws BridgeException {
        return attr(node(path));
    }

    @Override
    public BridgeDirents readdir(String path, long cookie, int budget) throws BridgeException {
        if (!(node(path) instanceof DirNode dir)) {
            throw new BridgeException(Errno.ENOTDIR.value(), path + " is a file");
        }
        List<Node> children = view.read(ns -> dir.children());
        if (cookie < 0 || cookie > children.size()) {
            throw new BridgeException(Errno.EINVAL.value(), "cookie " + cookie + " is past the directory's end");
        }
        BridgeDirents.Builder page = BridgeDirents.builder(budget);
        int i = (int) cookie;
        for (; i < children.size(); i++) {
            Node c = children.get(i);
            String name = c.path().substring(c.path().lastIndexOf('/') + 1);
            if (!page.add(new BridgeDirents.Entry(name, kind(c), i + 1))) {
                break;
            }
        }
        return page.build(i < children.size());
    }

    @Override
    public byte[] getFmap(String path) throws BridgeException {
        if (!(node(path) instanceof FileNode file)) {
            throw new BridgeException(Errno.EINVAL.value(), path + " is a directory");
        }
        try {
            return FmapWire.encode(file);
        } catch (FmapRefusedException e) {
            throw new BridgeException(e.errno().value(), e.getMessage());
        }
    }

    @Override
    public byte[] getDaxdev(int index) throws BridgeException {
        if (index != 0) {
            throw new BridgeException(Errno.EINVAL.value(), "daxdev " + index + ": a file system has one daxdev, 0");
        }
        try {
            return FmapWire.encodeDaxdev(0, daxdevPath);
        } catch (FmapRefusedException e) {
            throw new BridgeException(e.errno().value(), e.getMessage());
        }
    }

    private Node node(String path) throws BridgeException {
        AgentView.Lookup l = view.lookup(path);
        if (l.node() != null) {
            return l.node();
        }
        throw switch (l.miss()) {
            case INVALID -> new BridgeException(Errno.EINVAL.value(), "not a valid path: " + path);
            case ABSENT -> new BridgeException(Errno.ENOENT.value(), path);
            case STALE -> new BridgeException(Errno.ESTALE.value(), path + ": the view is being replayed");
        };
    }

    private static BridgeAttr attr(Node n) {
        return switch (n) {
            case DirNode d ->
                new BridgeAttr(kind(d), d.mode() & BridgeAttrDescriptor.MODE_MASK, d.uid(), d.gid(), 0, d.index());
            case FileNode f ->
                new BridgeAttr(
                        kind(f), f.mode() & BridgeAttrDescriptor.MODE_MASK, f.uid(), f.gid(), f.size(), f.index());
        };
    }

    private static int kind(Node n) {
        return n instanceof DirNode ? BridgeAttrDescriptor.KIND_DIR : BridgeAttrDescriptor.KIND_FILE;
    }
}
