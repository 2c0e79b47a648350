package io.kvs.cli;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a concurrent history of operations on integer registers (one per key: SET, GET,
 * INCR) is linearizable: there is one order of all the operations, consistent with real time
 * (an operation that returned before another was invoked comes first), in which each returns
 * what a single register would. Keys are checked one by one (linearizability is local); each
 * with Wing and Gong's search as Lowe improved it: take, among the operations invoked before the
 * first pending return, one the register accepts, and backtrack when none fits, remembering the
 * (operations taken, register value) pairs already explored.
 *
 * <p>An operation whose outcome is unknown (the client saw a timeout or an error that says the
 * write may still be applied) has no return: it may take effect at any point after its
 * invocation, or never. A GET that failed tells nothing and is left out of the history.
 */
final class Linearizability {

    /** What an operation did. */
    enum Kind { SET, GET, INCR }

    /**
     * One operation: {@code value} is what SET wrote, or what GET and INCR returned (null: GET of
     * a missing key); {@code returnedNanos} is {@link Long#MAX_VALUE} if the outcome is unknown.
     */
    record Operation(String key, Kind kind, Long value, long invokedNanos, long returnedNanos) {

        boolean known() {
            return returnedNanos != Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return kind + " " + key + (kind == Kind.GET ? " -> " : " ") + value
                    + (known() ? "" : " (outcome unknown)") + " [" + invokedNanos + ", " + (known() ? returnedNanos : "?") + "]";
        }
    }

    /** The verdict on one key: linearizable, or not, with the operations of that key. */
    record Verdict(String key, boolean linearizable, int operations) {
    }

    private Linearizability() {
    }

    /** The verdict for each key of {@code history}, keys in order of first appearance. */
    static List<Verdict> check(List<Operation> history) {
        Map<String, List<Operation>> byKey = new java.util.LinkedHashMap<>();
        for (Operation operation : history) {
            byKey.computeIfAbsent(operation.key(), k -> new ArrayList<>()).add(operation);
        }
        List<Verdict> verdicts = new ArrayList<>();
        byKey.forEach((key, operations) -> verdicts.add(new Verdict(key, checkRegister(operations), operations.size())));
        return verdicts;
    }

    /** An event of the search's list: the call or the return of operation {@code id}. */
    private static final class Entry {
        final int id;
        final boolean call;
        final long time;
        Entry match;
        Entry previous;
        Entry next;

        Entry(int id, boolean call, long time) {
            this.id = id;
            this.call = call;
            this.time = time;
        }
    }

    /** One register's history, starting without a value (the key does not exist). */
    static boolean checkRegister(List<Operation> operations) {
        int n = operations.size();
        List<Entry> events = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            Operation operation = operations.get(i);
            Entry call = new Entry(i, true, operation.invokedNanos());
            Entry ret = new Entry(i, false, operation.returnedNanos());
            call.match = ret;
            ret.match = call;
            events.add(call);
            events.add(ret);
        }
        // Calls before returns at the same instant: operations that touch in time overlap.
        events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
        Entry head = new Entry(-1, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry event : events) {
            last.next = event;
            event.previous = last;
            last = event;
        }
        BitSet linearized = new BitSet(n);
        Set<Object> explored = new HashSet<>();
        List<Object[]> stack = new ArrayList<>();
        Long state = null;
        Entry entry = head.next;
        while (head.next != null) {
            if (entry == null) {
                return false;
            }
            if (entry.call) {
                Operation operation = operations.get(entry.id);
                Long[] after = new Long[1];
                if (step(state, operation, after)) {
                    BitSet tried = (BitSet) linearized.clone();
                    tried.set(entry.id);
                    if (explored.add(List.of(tried, Objects.toString(after[0])))) {
                        stack.add(new Object[]{entry, state});
                        state = after[0];
                        linearized.set(entry.id);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (!operations.get(entry.id).known()) {
                    // Every operation with a known return is placed: the rest may never have happened.
                    return true;
                }
                if (stack.isEmpty()) {
                    return false;
                }
                Object[] top = stack.remove(stack.size() - 1);
                Entry undone = (Entry) top[0];
                state = (Long) top[1];
                linearized.clear(undone.id);
                unlift(undone);
                entry = undone.next;
            }
        }
        return true;
    }

    /** Whether {@code operation} can happen to a register holding {@code state}; the value after it in {@code after[0]}. */
    private static boolean step(Long state, Operation operation, Long[] after) {
        switch (operation.kind()) {
            case SET -> {
                after[0] = operation.value();
                return true;
            }
            case GET -> {
                after[0] = state;
                return Objects.equals(state, operation.value());
            }
            default -> {
                long next = (state == null ? 0 : state) + 1;
                after[0] = next;
                return !operation.known() || operation.value() == null || operation.value() == next;
            }
        }
    }

    private static void lift(Entry call) {
        call.previous.next = call.next;
        if (call.next != null) {
            call.next.previous = call.previous;
        }
        Entry ret = call.match;
        ret.previous.next = ret.next;
        if (ret.next != null) {
            ret.next.previous = ret.previous;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.previous.next = ret;
        if (ret.next != null) {
            ret.next.previous = ret;
        }
        call.previous.next = call;
        if (call.next != null) {
            call.next.previous = call;
        }
    }
}
