/**
 * The settings `init --preset <name>` starts from: the `default` and `continuity` of policies/<name>.yml
 * (the plugin bundle cannot read that folder at run time; a test keeps the two in agreement). Only
 * the settings are taken: the presets' own rules name packages this project may not have.
 */
import type {Continuity, Policy} from '../policy/policy.types';
import {DEFAULT_CONTINUITY} from '../policy/policy.types';

export type PresetName = `recommended` | `strict` | `audit-only`;

export const PRESET_NAMES: ReadonlyArray<PresetName> = [`recommended`, `strict`, `audit-only`];

export type PresetSettings = {
  default: Policy[`default`];
  continuity: Continuity;
};

export const PRESETS: Readonly<Record<PresetName, PresetSettings>> = {
  'recommended': {default: {require: `none`, mode: `enforce`}, continuity: DEFAULT_CONTINUITY},
  'strict': {default: {require: `provenance`, mode: `enforce`, level: 2}, continuity: DEFAULT_CONTINUITY},
  'audit-only': {default: {require: `provenance`, mode: `warn`}, continuity: DEFAULT_CONTINUITY},
};
