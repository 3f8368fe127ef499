package io.strata.bench.soak;

import io.strata.controller.zookeeper.ZkPaths;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.server.ByteBufferInputStream;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.TxnLog;
import org.apache.zookeeper.txn.CheckVersionTxn;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.ErrorTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.Txn;
import org.apache.zookeeper.txn.TxnHeader;

/**
 * Reads what the ensemble committed, from the members' transaction logs, and checks the leaders'
 * fencing. A term starts with a write of the epoch znode; the znode's new version is the term's
 * fence. A write to a znode only the leader writes (the task queue, the scrubs) must carry, in the
 * same multi-operation transaction, a check of the epoch znode at the current term's version, and
 * must come from the replica that began the term: a leader-only write without the check, with the
 * check of another version, or from another replica was accepted from a deposed leader. (The shard
 * maps are not among them: any replica may split a shard, with a compare-and-set on the map's
 * version, so a split always refines the latest map.)
 *
 * <p>Replicas are told apart by their ZooKeeper sessions, and sessions are tied to replicas by the
 * leader-election nodes they create: each holds its replica's id. One replica may write a term from
 * two sessions: when Curator gives its session up (an ensemble without a leader for longer than the
 * session timeout), it opens another, and an operation begun under the term and retried once
 * connected commits from the new one. The check of the epoch's version in that operation still
 * proves that no other replica began a term in between; such writes are the term's, counted apart
 * ({@link Result#newSessionWrites()}).
 *
 * <p>Writes the fence refused are multi-operation transactions whose epoch check failed; ZooKeeper
 * logs a failed multi-operation transaction too, with an error in place of each operation. The logs
 * of all members are merged by zxid: a member killed or lost misses the transactions of its
 * absence, which the others hold.
 */
final class FencingCheck {
  /**
   * A leader-only write the fence should have refused.
   *
   * @param replica the writing session's replica, or null when no election node ties it to one
   * @param termReplica the replica that began the term in force, or null when unknown
   * @param why what was wrong with it
   */
  record DeposedWrite(
      long zxid, long session, String path, String replica, String termReplica, String why) {}

  /** What the logs say. */
  record Result(
      int terms,
      long transactions,
      int fencedWrites,
      int newSessionWrites,
      List<DeposedWrite> deposedWrites,
      List<String> leaderOnlyPrefixes) {}

  private final String epochPath;
  private final String latchPath;
  private final List<String> leaderOnly;

  /**
   * @param namespace the controllers' ZooKeeper namespace ({@code strata})
   */
  FencingCheck(String namespace) {
    String root = "/" + namespace;
    this.epochPath = root + ZkPaths.LEADER_EPOCH;
    this.latchPath = root + ZkPaths.LEADER_LATCH + "/";
    this.leaderOnly = List.of(root + ZkPaths.TASKS + "/", root + ZkPaths.SCRUBS + "/");
  }

  /** One committed transaction: its header and its operations (several for a multi). */
  private record Entry(TxnHeader header, List<Op> ops) {}

  /**
   * One operation: its type, its path when it has one, its error code when it failed, the version
   * it checks or sets, and the data it creates.
   */
  private record Op(int type, String path, int error, int version, byte[] data) {}

  Result check(List<File> logDirs) throws IOException {
    Map<Long, Entry> merged = new TreeMap<>();
    for (File dir : logDirs) {
      if (!dir.isDirectory()) {
        continue;
      }
      FileTxnLog log = new FileTxnLog(dir);
      try (TxnLog.TxnIterator it = log.read(1)) {
        while (it.getHeader() != null) {
          TxnHeader header = it.getHeader();
          merged.computeIfAbsent(
              header.getZxid(), z -> new Entry(header, ops(header, it.getTxn())));
          if (!it.next()) {
            break;
          }
        }
      } catch (IOException e) {
        // A log cut short by a kill -9 ends where its last whole transaction ends.
      }
      log.close();
    }
    Map<Long, String> replicas = replicasBySession(merged.values());
    long termSession = 0;
    int termVersion = -1;
    int terms = 0;
    int fenced = 0;
    int newSession = 0;
    List<DeposedWrite> deposed = new ArrayList<>();
    for (Entry e : merged.values()) {
      long session = e.header().getClientId();
      boolean failed = e.ops().stream().anyMatch(op -> op.type() == OpCode.error);
      if (failed) {
        // Only multi-operation writes carry the fence (or a shard map's version check); a single
        // write that failed is some replica's own compare-and-set.
        boolean fenceFailed =
            e.ops().stream()
                .anyMatch(op -> op.error() == KeeperException.Code.BADVERSION.intValue());
        if (e.header().getType() == OpCode.multi && fenceFailed && session != termSession) {
          fenced++;
        }
        continue;
      }
      Integer checked = null;
      for (Op op : e.ops()) {
        if (op.type() == OpCode.check && epochPath.equals(op.path())) {
          checked = op.version();
        }
      }
      for (Op op : e.ops()) {
        if (op.type() == OpCode.setData && epochPath.equals(op.path())) {
          termSession = session;
          termVersion = op.version();
          terms++;
        } else if (op.path() != null && leaderOnly.stream().anyMatch(op.path()::startsWith)) {
          String replica = replicas.get(session);
          String termReplica = replicas.get(termSession);
          String why = null;
          if (checked == null) {
            why = "written without the epoch check";
          } else if (checked != termVersion) {
            why = "checked epoch version " + checked + " in term version " + termVersion;
          } else if (session != termSession) {
            if (replica != null && replica.equals(termReplica)) {
              newSession++;
            } else {
              why = "written by another replica's session than the term's";
            }
          }
          if (why != null) {
            deposed.add(
                new DeposedWrite(
                    e.header().getZxid(), session, op.path(), replica, termReplica, why));
          }
        }
      }
    }
    return new Result(terms, merged.size(), fenced, newSession, deposed, leaderOnly);
  }

  /** Each session's replica, from the leader-election nodes it created (their data: the id). */
  private Map<Long, String> replicasBySession(Iterable<Entry> entries) {
    Map<Long, String> out = new HashMap<>();
    for (Entry e : entries) {
      for (Op op : e.ops()) {
        if ((op.type() == OpCode.create || op.type() == OpCode.create2)
            && op.path() != null
            && op.path().startsWith(latchPath)
            && op.data() != null
            && op.data().length > 0) {
          out.put(e.header().getClientId(), new String(op.data(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static List<Op> ops(TxnHeader header, Record txn) {
    if (txn instanceof MultiTxn multi) {
      List<Op> out = new ArrayList<>();
      for (Txn t : multi.getTxns()) {
        out.add(op(t.getType(), decode(t)));
      }
      return out;
    }
    return List.of(op(header.getType(), txn));
  }

  private static Record decode(Txn t) {
    Record record =
        switch (t.getType()) {
          case OpCode.create, OpCode.create2, OpCode.createContainer -> new CreateTxn();
          case OpCode.setData -> new SetDataTxn();
          case OpCode.delete, OpCode.deleteContainer -> new DeleteTxn();
          case OpCode.error -> new ErrorTxn();
          case OpCode.check -> new CheckVersionTxn();
          default -> null;
        };
    if (record == null) {
      return null;
    }
    try {
      ByteBufferInputStream.byteBuffer2Record(ByteBuffer.wrap(t.getData()), record);
      return record;
    } catch (IOException e) {
      return null;
    }
  }

  private static Op op(int type, Record txn) {
    if (txn instanceof CreateTxn c) {
      return new Op(type, c.getPath(), 0, -1, c.getData());
    }
    if (txn instanceof SetDataTxn s) {
      return new Op(type, s.getPath(), 0, s.getVersion(), null);
    }
    if (txn instanceof DeleteTxn d) {
      return new Op(type, d.getPath(), 0, -1, null);
    }
    if (txn instanceof CheckVersionTxn c) {
      // ZooKeeper logs a check with the version it checked plus one, as it would a write's.
      return new Op(type, c.getPath(), 0, c.getVersion() - 1, null);
    }
    if (txn instanceof ErrorTxn err) {
      return new Op(OpCode.error, null, err.getErr(), -1, null);
    }
    return new Op(type, null, 0, -1, null);
  }
}
