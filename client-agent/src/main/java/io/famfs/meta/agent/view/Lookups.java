package io.famfs.meta.agent.view;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.replay.Node;

/** The one mapping from a view's {@link AgentView.Miss} to the domain errors the operator API answers. */
public final class Lookups {
    private Lookups() {}

    /** The node at {@code path}, or the error that says why there is none. */
    public static Node existing(AgentView view, String path) {
        AgentView.Lookup l = view.lookup(path);
        if (l.node() != null) {
            return l.node();
        }
        throw switch (l.miss()) {
            case INVALID -> new FamfsException(ErrorCode.INVALID_ARGUMENT, "path '" + path + "' is not valid");
            case ABSENT -> new FamfsException(ErrorCode.NOT_FOUND, "no such file or directory: " + path);
            case STALE ->
                new FamfsException(
                        ErrorCode.UNAVAILABLE,
                        "not in this host's view yet: the view is being replayed after it was found stale: " + path);
        };
    }
}
