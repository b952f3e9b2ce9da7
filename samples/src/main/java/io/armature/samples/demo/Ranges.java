package io.armature.samples.demo;

import java.util.List;

/**
 * Writes partition numbers compactly, as ranges.
 */
public final class Ranges {
    private Ranges() {
    }

    /**
     * @param sorted ascending numbers
     * @return them as ranges, for example {@code 0-3,8,10-11}; {@code -} for none
     */
    public static String of(final List<Integer> sorted) {
        final StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ",").append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
