package io.armature.testkit.chaos;

import io.armature.testkit.sim.check.CheckReport;
import io.armature.testkit.sim.history.History;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one chaos run.
 *
 * @param report the checker's verdict
 * @param history the recorded history
 * @param schedule the nemeses
 * @param directory where the run's files are (history, report, summary, timeline; node logs when it failed)
 * @param operations operations recorded
 * @param acknowledgedWrites puts and deletes acknowledged
 * @param lostWrites violations of guarantee 2 (acknowledged writes lost)
 * @param resurrections violations of guarantee 7
 * @param availability for each partition side (as {@code kind side [nodes]}), acknowledged writes / writes invoked
 * @param unrecovered nodes that did not coordinate a successful operation within the recovery limit of a fault's end
 * @param summary the figures as text
 */
public record ChaosResult(CheckReport report, History history, ChaosSchedule schedule, Path directory, int operations,
                          int acknowledgedWrites, long lostWrites, long resurrections, Map<String, int[]> availability,
                          List<String> unrecovered, String summary) {
    /**
     * Copies.
     *
     * @param report report
     * @param history history
     * @param schedule schedule
     * @param directory directory
     * @param operations operations
     * @param acknowledgedWrites acknowledged writes
     * @param lostWrites lost writes
     * @param resurrections resurrections
     * @param availability availability
     * @param unrecovered unrecovered
     * @param summary summary
     */
    public ChaosResult {
        unrecovered = List.copyOf(unrecovered);
    }

    /**
     * @return true if the checker found nothing
     */
    public boolean ok() {
        return report.ok();
    }
}
