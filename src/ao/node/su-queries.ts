/** What the node answers as an SU (read by su-routes.ts): schedules, slots and assignments. */
import { rebuildAssignment } from './assignment.js';
import { readRawItem, type ParsedItem } from './data-item.js';
import { recordOf, type NodeState } from './node-state.js';
import type { LogEntry } from './types.js';

export function suQueries(state: NodeState) {
  return {
    /**
     * A process's schedule as logged, in slot order (each entry with its message and
     * assignment). Read from the journal, so it holds across restarts; waits for what is being
     * scheduled now.
     */
    async scheduled(pid: string): Promise<LogEntry[]> {
      const record = recordOf(state, pid);
      await record.scheduling;
      return state.log.history(pid, record.nextSlot - 1);
    },
    hasProcess: (pid: string) => state.processes.has(pid),
    /** The assignment item of a logged entry (undefined for a log older than assignments). */
    async assignmentOf(entry: LogEntry): Promise<ParsedItem | undefined> {
      if (!entry.assignmentSignature) return undefined;
      const messageId = readRawItem(Buffer.from(entry.item, 'base64')).id;
      const input = { processId: entry.process, messageId, slot: entry.slot, timestamp: entry.timestamp, blockHeight: entry.blockHeight, hashChain: entry.hashChain };
      return rebuildAssignment(state.signer, input, entry.assignmentSignature);
    },
    /** The slot a message holds in a process's schedule, if it is scheduled there. */
    slotOf(pid: string, messageId: string): number | undefined {
      const known = state.messageIndex.get(messageId);
      return known?.pid === pid && known.slot >= 0 ? known.slot : undefined;
    },
  };
}
