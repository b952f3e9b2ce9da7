package io.armature.samples.ycsb;

import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import site.ycsb.measurements.exporter.TextMeasurementsExporter;
import site.ycsb.workloads.CoreWorkload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArmatureYcsbClientTest {
    private static DB client(final Properties p) throws DBException {
        final DB db = new ArmatureYcsbClient();
        db.setProperties(p);
        db.init();
        return db;
    }

    @Test
    void aTinyCoreWorkloadRunsAgainstAnEmbeddedClusterAndVerifiesWhatItReads() throws Exception {
        final Properties p = new Properties();
        p.setProperty("armature.embedded", "3");
        p.setProperty("recordcount", "100");
        p.setProperty("operationcount", "300");
        p.setProperty("fieldcount", "3");
        p.setProperty("fieldlength", "16");
        p.setProperty("readproportion", "0.4");
        p.setProperty("updateproportion", "0.3");
        p.setProperty("readmodifywriteproportion", "0.3");
        p.setProperty("insertproportion", "0");
        p.setProperty("scanproportion", "0");
        p.setProperty("requestdistribution", "zipfian");
        p.setProperty("dataintegrity", "true");
        p.setProperty("readallfields", "true");
        p.setProperty("writeallfields", "true");
        Measurements.setProperties(p);
        final CoreWorkload workload = new CoreWorkload();
        workload.init(p);
        final DB first = client(p);
        final DB second = client(p);
        try {
            final Object loadState = workload.initThread(p, 0, 1);
            for (int i = 0; i < 100; i++) {
                assertTrue(workload.doInsert(i % 2 == 0 ? first : second, loadState), "insert " + i);
            }
            final Object runState = workload.initThread(p, 0, 1);
            for (int i = 0; i < 300; i++) {
                assertTrue(workload.doTransaction(i % 2 == 0 ? first : second, runState), "operation " + i);
            }
            final ByteArrayOutputStream report = new ByteArrayOutputStream();
            final TextMeasurementsExporter exporter = new TextMeasurementsExporter(report);
            Measurements.getMeasurements().exportMeasurements(exporter);
            exporter.close();
            final String text = report.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("[VERIFY], Return=OK"), text);
            assertFalse(text.contains("UNEXPECTED_STATE"), "every read matched what was written: " + text);
        } finally {
            first.cleanup();
            second.cleanup();
            workload.cleanup();
        }
    }

    @Test
    void readUpdateDeleteAndScan() throws Exception {
        final Properties p = new Properties();
        p.setProperty("armature.embedded", "3");
        final DB db = client(p);
        try {
            assertEquals(Status.OK, db.insert("t", "k", StringByteIterator.getByteIteratorMap(Map.of("a", "1", "b", "2"))));
            assertEquals(Status.OK, db.update("t", "k", StringByteIterator.getByteIteratorMap(Map.of("b", "3", "c", "4"))));
            final Map<String, ByteIterator> row = new HashMap<>();
            assertEquals(Status.OK, db.read("t", "k", null, row));
            assertEquals(Map.of("a", "1", "b", "3", "c", "4"), StringByteIterator.getStringMap(row), "update keeps fields it does not set");
            final Map<String, ByteIterator> some = new HashMap<>();
            assertEquals(Status.OK, db.read("t", "k", Set.of("c"), some));
            assertEquals(Set.of("c"), some.keySet());
            assertEquals(Status.NOT_IMPLEMENTED, db.scan("t", "k", 10, null, new Vector<HashMap<String, ByteIterator>>()));
            assertEquals(Status.OK, db.delete("t", "k"));
            assertEquals(Status.NOT_FOUND, db.read("t", "k", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.read("other", "k", null, new HashMap<>()), "tables are separate key spaces");
        } finally {
            db.cleanup();
        }
    }

    @Test
    void initRejectsMissingOrConflictingTargets() {
        assertThrows(DBException.class, () -> client(new Properties()));
        final Properties both = new Properties();
        both.setProperty("armature.embedded", "1");
        both.setProperty("armature.cluster", "h:1");
        assertThrows(DBException.class, () -> client(both));
    }
}
