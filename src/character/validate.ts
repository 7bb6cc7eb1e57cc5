/**
 * Validation: @elizaos/core's own character schema first (so what passes here passes in
 * elizaOS), then permachat's stricter checks on what a chat bot actually needs.
 */
import { characterSchema, validateCharacter } from '@elizaos/core';
import type { CharacterProblem, JsonObject } from './types.js';
import { fieldPath } from './field-path.js';


export interface ValidationDeps {
  pluginExists: (name: string) => boolean;
  /** Report missing plugins as notices instead of problems (loading for chat, not `check`). */
  allowMissingPlugins?: boolean;
}

const knownFields = new Set(Object.keys(characterSchema.shape));

/** Fields elizaOS does not know are dropped with a notice: its schema is strict, later versions add fields. */
export function dropUnknownFields(data: JsonObject): { data: JsonObject; notices: string[] } {
  const kept: JsonObject = {};
  const notices: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (knownFields.has(key)) kept[key] = value;
    else notices.push(`unknown field "${key}" ignored`);
  }
  return { data: kept, notices };
}

export function coreProblems(data: JsonObject): CharacterProblem[] {
  const result = validateCharacter(data);
  if (result.success) return [];
  const issues = result.error?.issues ?? [];
  if (issues.length === 0) return [{ path: '(root)', problem: result.error?.message ?? 'invalid character' }];
  return issues.map((issue) => ({ path: fieldPath(issue.path), problem: issue.message }));
}

const hexColour = /^#[0-9a-f]{6}$/i;

export function strictProblems(data: JsonObject, deps: ValidationDeps): { problems: CharacterProblem[]; notices: string[] } {
  const problems: CharacterProblem[] = [];
  const notices: string[] = [];
  if (typeof data.name !== 'string' || data.name.trim() === '') problems.push({ path: 'name', problem: 'a character needs a non-empty name' });
  else if (data.name.length > 64) problems.push({ path: 'name', problem: 'the name is longer than 64 characters' });

  const bio = data.bio;
  const bioEmpty = bio === undefined || (typeof bio === 'string' && bio.trim() === '') || (Array.isArray(bio) && bio.length === 0);
  if (bioEmpty) problems.push({ path: 'bio', problem: 'a character needs a bio (a string or a list of strings) to have a personality' });

  if (Array.isArray(data.messageExamples)) {
    data.messageExamples.forEach((conversation: unknown, i) => {
      if (Array.isArray(conversation) && conversation.length === 0) problems.push({ path: `messageExamples[${i}]`, problem: 'an example conversation is empty' });
    });
  }
  if (Array.isArray(data.plugins)) {
    data.plugins.forEach((name: unknown, i) => {
      if (typeof name !== 'string' || deps.pluginExists(name)) return;
      const message = `plugin "${name}" is not installed (add plugins/${name}/ or install the npm package, or remove it)`;
      if (deps.allowMissingPlugins) notices.push(message);
      else problems.push({ path: `plugins[${i}]`, problem: message });
    });
  }
  const settings = data.settings;
  if (typeof settings === 'object' && settings !== null) {
    const widget = (settings as JsonObject).widget;
    if (typeof widget === 'object' && widget !== null) {
      for (const key of ['color', 'accent'] as const) {
        const value = (widget as JsonObject)[key];
        if (value !== undefined && (typeof value !== 'string' || !hexColour.test(value))) {
          problems.push({ path: `settings.widget.${key}`, problem: 'must be a colour like "#3366ff"' });
        }
      }
    }
  }
  return { problems, notices };
}
