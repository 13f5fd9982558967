// The shot list as a table a person can edit: a changed cell is sent as /shot CODE FIELD VALUE, the same change as
// saying it in chat (a commit by the person, the cascade, the refit of durations).
import { useEffect, useState } from "react";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });
const cellBox = { width: "100%", fontSize: 12, padding: "3px 4px", borderRadius: 4, color: "inherit",
  border: "1px solid hsl(var(--border))", background: "hsl(var(--background))", fontFamily: "inherit" };
const NUMBERS = { lens: { step: 1, min: 8, max: 300 }, duration: { step: 0.5, min: 0.5, max: 60 } };

function Cell({ row, field, choices }) {
  const original = row[field] == null ? "" : String(row[field]);
  const [value, setValue] = useState(original);
  useEffect(() => setValue(original), [original]);
  const label = `${field} of ${row.code}`;
  const send = (v) => {
    const clean = String(v).replace(/\s+/g, " ").trim();
    if (clean && clean !== original) run(`/shot ${row.code} ${field} ${clean}`);
  };
  if (choices && choices.length) {
    const options = choices.includes(original) || !original ? choices : [original, ...choices];
    return (
      <select aria-label={label} style={{ ...cellBox, minWidth: field === "size" ? 62 : 96 }} value={value}
        onChange={(e) => { setValue(e.target.value); send(e.target.value); }}>
        {options.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
    );
  }
  const number = NUMBERS[field];
  return (
    <input aria-label={label} style={{ ...cellBox, minWidth: number ? 58 : 260 }} value={value}
      type={number ? "number" : "text"} step={number ? number.step : undefined}
      min={number ? number.min : undefined} max={number ? number.max : undefined}
      onChange={(e) => setValue(e.target.value)} onBlur={(e) => send(e.target.value)}
      onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); send(e.currentTarget.value); } }} />
  );
}

export default function ShotTable() {
  const fields = props.fields || ["size", "angle", "move", "lens", "duration", "action"];
  const choices = props.choices || {};
  const rows = props.rows || [];
  const th = { textAlign: "left", fontWeight: 600, padding: "4px 6px", position: "sticky", top: 0,
    background: "hsl(var(--card))", borderBottom: "1px solid hsl(var(--border))" };
  const td = { padding: "3px 6px", verticalAlign: "top", borderBottom: "1px solid hsl(var(--border))" };
  return (
    <div className="auteur-view auteur-shottable" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
      <strong style={{ fontSize: 16 }}>{props.title}</strong>
      <div style={{ overflowX: "auto" }}>
        <table style={{ borderCollapse: "collapse", fontSize: 12, minWidth: "100%" }}>
          <thead><tr><th style={th}>shot</th>{fields.map((f) => <th key={f} style={th}>{f}</th>)}</tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code} data-shot={row.code}>
                <td style={{ ...td, fontWeight: 600, whiteSpace: "nowrap" }} title={row.dialogue || undefined}>
                  <a href="#" onClick={(e) => { e.preventDefault(); run(`/shot ${row.code}`); }}>{row.code}</a>
                  {row.dialogue ? <span aria-hidden="true" style={{ marginLeft: 4, opacity: 0.6 }}>”</span> : null}
                </td>
                {fields.map((f) => <td key={f} style={td}><Cell row={row} field={f} choices={choices[f]} /></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
