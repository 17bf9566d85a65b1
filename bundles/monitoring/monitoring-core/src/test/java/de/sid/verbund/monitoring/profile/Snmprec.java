package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A test-side reader of snmpsim's {@code .snmprec} files ({@code OID|TYPE|VALUE}; TYPE 2, 4, 4x,
 * 5, 6, 64, 64x, 65, 66, 67, 70; {@code x} means the value is hex), and the poll result an agent
 * serving the file would give for a {@link PollRequest}: what the mapper is fed in production.
 * Lines whose OID is not an OID (windows_svr_2019_1809 has anonymised {@code xx} arcs) are skipped.
 */
final class Snmprec {
    static final Path DIR = de.sid.verbund.testsupport.SharedData.data("snmprec");

    private final NavigableMap<Oid, SnmpValue> data;

    private Snmprec(NavigableMap<Oid, SnmpValue> data) {
        this.data = data;
    }

    static Snmprec read(String fileName) throws IOException {
        return read(DIR.resolve(fileName));
    }

    static Snmprec read(Path file) throws IOException {
        NavigableMap<Oid, SnmpValue> data = new TreeMap<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n")) {
            String[] f = line.split("\\|", 3);
            if (f.length != 3) {
                continue;
            }
            Oid oid;
            try {
                oid = Oid.parse(f[0]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            data.put(oid, value(f[1], f[2]));
        }
        return new Snmprec(data);
    }

    static SnmpValue value(String type, String text) {
        boolean hex = type.endsWith("x");
        String t = hex ? type.substring(0, type.length() - 1) : type;
        byte[] bytes = hex ? HexFormat.of().parseHex(text) : text.getBytes(StandardCharsets.UTF_8);
        return switch (t) {
            case "2" -> new SnmpValue.Integer32(Integer.parseInt(text));
            case "4" -> new SnmpValue.OctetString(bytes);
            case "5" -> SnmpValue.NULL;
            case "6" -> new SnmpValue.ObjectIdentifier(Oid.parse(text));
            case "64" -> new SnmpValue.IpAddress(hex ? bytes : ip(text));
            case "65" -> new SnmpValue.Counter32(Long.parseLong(text));
            case "66" -> new SnmpValue.Gauge32(Long.parseLong(text));
            case "67" -> new SnmpValue.TimeTicks(Long.parseLong(text));
            case "70" -> new SnmpValue.Counter64(new BigInteger(text).longValue());
            default -> throw new IllegalArgumentException("snmprec type " + type);
        };
    }

    private static byte[] ip(String dotted) {
        String[] p = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return b;
    }

    SnmpValue get(String oid) {
        return data.get(Oid.parse(oid));
    }

    /** @return a copy with {@code change} applied to every value (a later recording of the same device) */
    Snmprec with(UnaryOperator<Map.Entry<Oid, SnmpValue>> change) {
        NavigableMap<Oid, SnmpValue> copy = new TreeMap<>();
        data.entrySet().forEach(e -> copy.put(e.getKey(), change.apply(e).getValue()));
        return new Snmprec(copy);
    }

    /** @return what polling the recorded agent with {@code request} gives: GETs and complete walks */
    PollResult poll(String device, PollRequest request, Instant at) {
        Map<Oid, SnmpValue> scalars = new LinkedHashMap<>();
        request.scalars().forEach(o -> scalars.put(o, data.getOrDefault(o, SnmpValue.NO_SUCH_OBJECT)));
        Map<Oid, WalkResult> walks = new LinkedHashMap<>();
        long varbinds = scalars.size();
        for (Oid root : request.walks()) {
            List<VarBind> rows = new ArrayList<>();
            for (Map.Entry<Oid, SnmpValue> e : data.tailMap(root, false).entrySet()) {
                if (!e.getKey().startsWith(root)) {
                    break;
                }
                rows.add(new VarBind(e.getKey(), e.getValue()));
            }
            varbinds += rows.size();
            walks.put(root, new WalkResult(root, rows, WalkEnd.END_OF_SUBTREE, "", 1));
        }
        SnmpValue upTime = data.getOrDefault(PollRequest.SYS_UP_TIME, SnmpValue.NO_SUCH_OBJECT);
        return new PollResult(device, true, upTime, scalars, walks, at, Duration.ofMillis(5),
                1 + request.walks().size(), varbinds, Optional.empty());
    }
}
