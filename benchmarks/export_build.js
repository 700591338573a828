// The V8 floor for benchmarks/export_build.py: the game's exporter path for one summary, written
// after the spec (telemetry-pipeline.md §5.4–§5.7): sanitise the summary, JSON.stringify(x, null, 2),
// build the cascade and tutorial-snapshot CSVs. Not the game's file (not in this repository), but
// the same operations in the same order, so it is a fair stand-in for "the game's own V8 code".
//
//   node benchmarks/export_build.js SUMMARY.json ITERATIONS   → prints per-iteration ms as JSON
'use strict';
const fs = require('fs');

const BUDGET = 12 * 1024;
const FACTIONS = { vanguard_prime: 'Vanguard Prime', luminari_syndicate: 'The Luminari Syndicate',
  cipher_collective: 'The Cipher Collective', wraith_network: 'The Wraith Network', memory_keepers: 'The Memory Keepers' };
const CM = ['selectionMoves', 'selectionBlocked', 'listModeChanges', 'listModeUnchanged', 'pageNavigations',
  'pageNavigationBlocked', 'pageSetChanges', 'pageSetBlocked', 'captureStarted', 'captureCancelled', 'bindingsApplied',
  'bindingsReset', 'manualOverrideEvents'];

const nni = (x) => { const n = Number(x); return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0; };
const num = (x) => { const n = Number(x); return x !== null && x !== '' && Number.isFinite(n) ? n : null; };
const ts = (x) => { const n = Number(x); return x !== null && x !== undefined && Number.isFinite(n) ? n : null; };
const iso = (n) => (n === null ? null : new Date(n).toISOString());
const name = (id, fb) => fb || FACTIONS[id] || id || '';
const label = (ms) => {
  if (!ms || ms <= 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) { const s = ms / 1000; return s < 10 ? `${(Math.round(s * 10) / 10).toFixed(1)}s` : `${Math.round(s)}s`; }
  const m = Math.floor(ms / 60000); const s = Math.round((ms % 60000) / 1000);
  return s ? `${m}m ${s}s` : `${m}m`;
};
const sample = (s) => (s && typeof s === 'object' ? { cellCount: num(s.cellCount), maxBucketSize: num(s.maxBucketSize),
  trackedEntities: num(s.trackedEntities), timestamp: num(s.timestamp) } : null);
const ratio = (r = {}) => {
  const n = nni(r.numerator); const d = nni(r.denominator);
  let v = Number.isFinite(r.value) ? r.value : (d ? n / d : 0);
  v = Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
  return { numerator: n, denominator: d, value: v, percentage: typeof r.percentage === 'string' ? r.percentage : `${Math.round(v * 100)}%` };
};
const stamp = (o, k, ik, v) => { const t = ts(v); o[k] = t; o[ik] = iso(t); };

function sanitize(s) {
  const generatedAt = s.generatedAt ?? Date.now();
  const f = s.factions || {}; const targets = Array.isArray(f.cascadeTargets) ? f.cascadeTargets : [];
  const removals = (f.recentMemberRemovals || []).map((r) => ({ factionId: r.factionId, factionName: r.factionName, npcId: r.npcId,
    entityId: r.entityId, tag: r.tag, removedAt: ts(r.removedAt), removedIso: r.removedAt ? iso(ts(r.removedAt)) : null }));
  const t = s.tutorial || {}; const snaps = t.snapshots || []; const transcript = t.transcript || [];
  const sh = (s.engine || {}).spatialHash; let spatial = null;
  if (sh && typeof sh === 'object') {
    const history = (sh.history || []).map(sample).filter(Boolean);
    let payload = num(sh.payloadBytes); if (!payload) payload = JSON.stringify(history).length;
    const agg = sh.aggregates || {};
    const a = (x) => (x ? { average: num(x.average), min: num(x.min), max: num(x.max) } : null);
    spatial = { cellSize: num(sh.cellSize), window: sh.window == null ? null : Math.max(1, Math.floor(num(sh.window))),
      sampleCount: sh.sampleCount == null ? history.length : Math.max(0, Math.floor(num(sh.sampleCount))),
      lastSample: sample(sh.lastSample) || history[history.length - 1] || null,
      aggregates: { cellCount: a(agg.cellCount), maxBucketSize: a(agg.maxBucketSize), trackedEntities: a(agg.trackedEntities) },
      stats: sh.stats ? { insertions: nni(sh.stats.insertions), updates: nni(sh.stats.updates), removals: nni(sh.stats.removals) } : null,
      history, payloadBytes: payload, payloadBudgetBytes: BUDGET,
      payloadBudgetStatus: payload <= BUDGET ? 'within_budget' : 'exceeds_budget',
      payloadBudgetExceededBy: payload <= BUDGET ? 0 : payload - BUDGET };
  }
  const cb = s.controlBindings; let control;
  if (!cb || typeof cb !== 'object') {
    const z = { numerator: 0, denominator: 0, value: 0, percentage: '0%' };
    control = { source: 'unavailable', totalEvents: 0, durationMs: 0, durationLabel: '0s', firstEventAt: null, lastEventAt: null,
      actionsVisitedCount: 0, actionsVisited: [], actionsRemappedCount: 0, actionsRemapped: [], listModesVisited: [],
      pageRange: null, lastSelectedAction: null, metrics: Object.fromEntries(CM.map((k) => [k, 0])), captureCancelReasons: {},
      dwell: { count: 0, totalMs: 0, averageMs: 0, averageLabel: '0s', maxMs: 0, maxLabel: '0s', minMs: 0, minLabel: '0s',
        lastMs: 0, lastLabel: '0s', lastAction: null, longestAction: null },
      ratios: { selectionBlocked: { ...z }, pageNavigationBlocked: { ...z } } };
  } else {
    const d = cb.dwell || {}; const m = cb.metrics || {};
    const dwell = { count: nni(d.count), totalMs: Math.max(0, num(d.totalMs) || 0) };
    for (const k of ['average', 'max', 'min', 'last']) { const ms = Math.max(0, num(d[`${k}Ms`]) || 0); dwell[`${k}Ms`] = ms; dwell[`${k}Label`] = d[`${k}Label`] ?? label(ms); }
    dwell.lastAction = d.lastAction ?? null; dwell.longestAction = d.longestAction ?? null;
    const dur = Math.max(0, num(cb.durationMs) || 0);
    control = { source: cb.source || 'unavailable', totalEvents: nni(cb.totalEvents), durationMs: dur, durationLabel: cb.durationLabel ?? `${dur}ms`,
      firstEventAt: Number.isFinite(cb.firstEventAt) ? cb.firstEventAt : null, lastEventAt: Number.isFinite(cb.lastEventAt) ? cb.lastEventAt : null,
      actionsVisitedCount: nni(cb.actionsVisitedCount ?? (cb.actionsVisited || []).length), actionsVisited: [...(cb.actionsVisited || [])],
      actionsRemappedCount: nni(cb.actionsRemappedCount ?? (cb.actionsRemapped || []).length), actionsRemapped: [...(cb.actionsRemapped || [])],
      listModesVisited: [...(cb.listModesVisited || cb.listModesSeen || [])], pageRange: null, lastSelectedAction: cb.lastSelectedAction ?? null,
      metrics: Object.fromEntries(CM.map((k) => [k, nni(m[k])])),
      captureCancelReasons: Object.fromEntries(Object.entries(m.captureCancelReasons || cb.captureCancelReasons || {}).map(([k, v]) => [k, nni(v)])),
      dwell, ratios: { selectionBlocked: ratio((cb.ratios || {}).selectionBlocked), pageNavigationBlocked: ratio((cb.ratios || {}).pageNavigationBlocked) } };
  }
  const di = s.districts || {}; const dm = di.metrics || {}; const districts = {};
  stamp(districts, 'lastUpdatedAt', 'lastUpdatedIso', di.lastUpdatedAt); stamp(districts, 'lastLockdownAt', 'lastLockdownIso', di.lastLockdownAt);
  districts.metrics = Object.fromEntries(['total', 'restricted', 'fastTravelDisabled', 'infiltrationLocked', 'infiltrationUnlocked', 'lockdownEvents'].map((k) => [k, nni(dm[k])]));
  districts.restrictedDistricts = (di.restrictedDistricts || []).map((r) => {
    const o = { id: r.id, name: r.name, tier: r.tier, fastTravelEnabled: r.fastTravelEnabled !== false, controllingFaction: r.controllingFaction,
      stabilityRating: (r.stability || {}).rating, stabilityValue: num((r.stability || {}).value), activeRestrictionCount: nni(r.activeRestrictionCount),
      infiltrationLocked: nni(r.infiltrationLocked), infiltrationUnlocked: nni(r.infiltrationUnlocked), lockdownsTriggered: nni(r.lockdownsTriggered) };
    stamp(o, 'lastRestrictionChangeAt', 'lastRestrictionChangeIso', r.lastRestrictionChangeAt); stamp(o, 'lastLockdownAt', 'lastLockdownIso', r.lastLockdownAt);
    o.restrictions = (r.restrictions || []).map((x) => { const q = { id: x.id, type: x.type || 'generic', description: x.description }; stamp(q, 'lastChangedAt', 'lastChangedIso', x.lastChangedAt); return q; });
    return o;
  });
  const np = s.npcs || {}; const nm = np.metrics || {}; const npcs = {};
  stamp(npcs, 'lastUpdatedAt', 'lastUpdatedIso', np.lastUpdatedAt);
  npcs.metrics = Object.fromEntries(['total', 'alerts', 'suspicious', 'knowsPlayer', 'witnessedCrimes'].map((k) => [k, nni(nm[k])]));
  const npc = (a) => { const o = { id: a.id, name: a.name, factionId: a.factionId, factionName: name(a.factionId, a.factionName), status: a.status, reason: a.reason }; stamp(o, 'updatedAt', 'updatedIso', a.updatedAt); return o; };
  npcs.alerts = (np.alerts || []).map(npc); npcs.suspicious = (np.suspicious || []).map(npc);
  return { generatedAt, generatedIso: iso(generatedAt), source: s.source || 'unavailable',
    factions: { lastCascadeEvent: f.lastCascadeEvent ?? null, cascadeTargets: targets, recentMemberRemovals: removals,
      metrics: { cascadeTargetCount: targets.length, activeCascadeTargets: targets.filter((x) => x.cascadeCount > 0).length, recentMemberRemovalCount: removals.length } },
    tutorial: { latestSnapshot: t.latestSnapshot ?? null, snapshots: snaps, transcript, metrics: { snapshotCount: snaps.length, transcriptCount: transcript.length } },
    engine: { spatialHash: spatial }, controlBindings: control, districts, npcs };
}

const cell = (v) => { if (v === null || v === undefined) return ''; const t = String(v); return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t; };
const csv = (header, rows) => [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';

function cascadeCsv(s) {
  const rows = []; const last = s.factions.lastCascadeEvent;
  if (last) rows.push(['last_event', last.targetFactionId, name(last.targetFactionId, last.targetFactionName), null, last.sourceFactionId,
    name(last.sourceFactionId, last.sourceFactionName), last.newAttitude, last.occurredAt, last.occurredAt ? iso(last.occurredAt) : null, null]);
  const targets = s.factions.cascadeTargets.filter((t) => t && t.factionId).sort((a, b) => (b.cascadeCount || 0) - (a.cascadeCount || 0));
  for (const t of targets) { const lc = t.lastCascade || {}; rows.push(['target', t.factionId, name(t.factionId), t.cascadeCount, lc.sourceFactionId,
    name(lc.sourceFactionId, lc.sourceFactionName), lc.newAttitude, lc.occurredAt, lc.occurredAt ? iso(lc.occurredAt) : null, (t.sources || []).join('|')]); }
  return csv(['row_type', 'faction_id', 'faction_name', 'cascade_count', 'last_source_faction_id', 'last_source_faction_name', 'new_attitude', 'occurred_at', 'occurred_iso', 'sources'], rows);
}

function tutorialCsv(s) {
  const rows = s.tutorial.snapshots.filter(Boolean).map((x) => [x.event ?? 'unknown', x.timestamp, x.timestamp ? iso(x.timestamp) : null,
    typeof x.stepIndex === 'number' ? x.stepIndex : null, typeof x.totalSteps === 'number' ? x.totalSteps : null, x.stepId, x.title ?? x.stepTitle,
    (x.completedSteps || []).join('|'), JSON.stringify({ promptId: x.promptId ?? null, zoneId: x.zoneId ?? null, dismissed: x.dismissed ?? null })]);
  return csv(['event', 'timestamp', 'timestamp_iso', 'step_index', 'total_steps', 'step_id', 'step_title', 'completed_steps', 'metadata'], rows);
}

function build(summary) {
  const clean = sanitize(summary);
  return [JSON.stringify(clean, null, 2) + '\n', cascadeCsv(clean), tutorialCsv(clean)];
}

const summary = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const iterations = Number(process.argv[3] || 1000);
const warmup = Number(process.argv[4] || 200);
let sink = 0;
for (let i = 0; i < warmup; i++) sink += build(summary)[0].length;
const samples = [];
for (let i = 0; i < iterations; i++) {
  const t0 = process.hrtime.bigint();
  sink += build(summary)[0].length;
  samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
process.stdout.write(JSON.stringify({ samples, sink }));
