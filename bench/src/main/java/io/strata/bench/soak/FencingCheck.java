package io.strata.bench.soak;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.server.ByteBufferInputStream;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.TxnLog;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.ErrorTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.Txn;
import org.apache.zookeeper.txn.TxnHeader;

/**
 * Reads what the ensemble committed, from the members' transaction logs, and checks the leaders'
 * fencing: every term starts with a write of the epoch znode by the winner's ZooKeeper session, and
 * a write to a znode only the leader writes (the task queue, the scrubs, the shard maps) that comes
 * from another session than the current term's was accepted from a deposed leader. Writes the fence
 * refused are transactions of a session not leading whose epoch check failed; ZooKeeper logs a
 * failed multi-operation transaction too, with an error in place of each operation.
 *
 * <p>The logs of all members are merged by zxid: a member killed or lost misses the transactions of
 * its absence, which the others hold.
 */
final class FencingCheck {
  /** A leader-only write committed while another session held the term. */
  record DeposedWrite(long zxid, long session, String path, long leaderSession) {}

  /** What the logs say. */
  record Result(
      int terms,
      long transactions,
      int fencedWrites,
      List<DeposedWrite> deposedWrites,
      List<String> leaderOnlyPrefixes) {}

  private final String epochPath;
  private final List<String> leaderOnly;

  /**
   * @param namespace the controllers' ZooKeeper namespace ({@code strata})
   */
  FencingCheck(String namespace) {
    String root = "/" + namespace;
    this.epochPath = root + "/leader/epoch";
    this.leaderOnly = List.of(root + "/tasks/", root + "/scrubs/", root + "/shards/");
  }

  /** One committed transaction: its header and its operations (several for a multi). */
  private record Entry(TxnHeader header, List<Op> ops) {}

  /** One operation: its type, its path when it has one, its error code when it failed. */
  private record Op(int type, String path, int error) {}

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
    long leaderSession = 0;
    int terms = 0;
    int fenced = 0;
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
        if (e.header().getType() == OpCode.multi && fenceFailed && session != leaderSession) {
          fenced++;
        }
        continue;
      }
      for (Op op : e.ops()) {
        if (op.type() == OpCode.setData && epochPath.equals(op.path())) {
          leaderSession = session;
          terms++;
        } else if (op.path() != null
            && leaderOnly.stream().anyMatch(op.path()::startsWith)
            && session != leaderSession) {
          deposed.add(new DeposedWrite(e.header().getZxid(), session, op.path(), leaderSession));
        }
      }
    }
    return new Result(terms, merged.size(), fenced, deposed, leaderOnly);
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
      return new Op(type, c.getPath(), 0);
    }
    if (txn instanceof SetDataTxn s) {
      return new Op(type, s.getPath(), 0);
    }
    if (txn instanceof DeleteTxn d) {
      return new Op(type, d.getPath(), 0);
    }
    if (txn instanceof ErrorTxn err) {
      return new Op(OpCode.error, null, err.getErr());
    }
    return new Op(type, null, 0);
  }
}
