package io.famfs.meta.log;

/**
 * Observes an append step by step. Tests use it to record the order of steps or to stop a writer between any two
 * (by throwing, or by killing the process); production passes {@link #NONE}.
 */
@FunctionalInterface
public interface AppendHook {
    void after(AppendStep step, long index);

    AppendHook NONE = (step, index) -> {};
}
