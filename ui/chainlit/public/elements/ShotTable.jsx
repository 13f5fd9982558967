// The shot list a person can edit: a changed field is sent as /shot CODE FIELD VALUE, the same change as saying it
// in chat (a commit by the person, the cascade, the refit of durations).
//
// The side bar beside the chat is about 400 px wide: a table of seven columns was twice that, and the duration and
// action (the fields a director edits most) hid behind a sideways scroll. Each shot is a compact card instead: the
// code and the three choices on the first line, lens, duration and the action (which wraps) on the second, and the
// shot's line of dialogue, when it has one, written out under them.
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });
const cellBox = { fontSize: 12, padding: "3px 4px", borderRadius: 4, color: "inherit", boxSizing: "border-box",
  border: "1px solid hsl(var(--border))", background: "hsl(var(--background))", fontFamily: "inherit" };
const NUMBERS = { lens: { step: 1, min: 8, max: 300, unit: "mm" },
  duration: { step: 0.5, min: 0.5, max: 60, unit: "s" } };
const WIDTHS = { size: "0 0 56px", angle: "1 1 120px", move: "1 1 76px", lens: "0 0 64px", duration: "0 0 64px",
  action: "1 1 180px" };

function Cell({ row, field, choices }) {
  const original = row[field] == null ? "" : String(row[field]);
  const [value, setValue] = useState(original);
  useEffect(() => setValue(original), [original]);
  const label = `${field} of ${row.code}`;
  const send = (v) => {
    const clean = String(v).replace(/\s+/g, " ").trim();
    if (clean && clean !== original) run(`/shot ${row.code} ${field} ${clean}`);
  };
  const box = { ...cellBox, width: "100%", minWidth: 0 };
  if (choices && choices.length) {
    const options = choices.includes(original) || !original ? choices : [original, ...choices];
    return (
      <select aria-label={label} title={field} style={box} value={value}
        onChange={(e) => { setValue(e.target.value); send(e.target.value); }}>
        {options.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
    );
  }
  const number = NUMBERS[field];
  if (number) {
    return (
      <span style={{ display: "flex", alignItems: "center", gap: 2 }} title={field}>
        <input aria-label={label} style={box} value={value} type="number" step={number.step} min={number.min}
          max={number.max} onChange={(e) => setValue(e.target.value)} onBlur={(e) => send(e.target.value)}
          onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); send(e.currentTarget.value); } }} />
        <span style={{ opacity: 0.6, fontSize: 11 }}>{number.unit}</span>
      </span>
    );
  }
  // The action wraps over as many lines as it needs; Enter saves it (a shot's action is one paragraph).
  return (
    <textarea aria-label={label} title={field} rows={Math.min(4, Math.max(2, Math.ceil(value.length / 34)))} style={{ ...box, resize: "vertical", lineHeight: 1.35 }}
      value={value} onChange={(e) => setValue(e.target.value)} onBlur={(e) => send(e.target.value)}
      onKeyDown={(e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send(e.currentTarget.value); } }} />
  );
}

function ShotCard({ row, fields, choices }) {
  return (
    <div data-shot={row.code} role="group" aria-label={`Shot ${row.code}`}
      style={{ display: "flex", flexWrap: "wrap", gap: 4, alignItems: "center", padding: "6px 0",
        borderBottom: "1px solid hsl(var(--border))" }}>
      <a href="#" style={{ flex: "0 0 72px", fontWeight: 600, fontSize: 12 }} title={`Open ${row.code}`}
        onClick={(e) => { e.preventDefault(); run(`/shot ${row.code}`); }}>{row.code}</a>
      {fields.map((f) => (
        <div key={f} style={{ flex: WIDTHS[f] || "1 1 92px", minWidth: 0 }}>
          <Cell row={row} field={f} choices={choices[f]} />
        </div>
      ))}
      {row.dialogue
        ? <div style={{ flex: "1 1 100%", fontSize: 11, fontStyle: "italic", opacity: 0.75 }}>Line: {row.dialogue}</div>
        : null}
    </div>
  );
}

export default function ShotTable() {
  const fields = props.fields || ["size", "angle", "move", "lens", "duration", "action"];
  const choices = props.choices || {};
  const rows = props.rows || [];
  return (
    <div className="auteur-view auteur-shottable" style={{ display: "flex", flexDirection: "column", gap: 4,
      minWidth: 0 }}>
      <strong style={{ fontSize: 16 }}>{props.title}</strong>
      <span style={{ fontSize: 11, opacity: 0.7 }}>
        Each shot: size · angle · move, then lens (mm) · duration (s) · action. A change is saved as you make it.
      </span>
      <div role="list" aria-label="Shots">
        {rows.map((row) => <ShotCard key={row.code} row={row} fields={fields} choices={choices} />)}
      </div>
    </div>
  );
}
