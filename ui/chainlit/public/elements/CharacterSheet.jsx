// A character's sheet: look, wardrobe and state per scene, reference images and LoRA, voice, and every scene and
// shot they appear in (a shot opens its inspector).
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });

function Field({ label, value }) {
  if (value == null || value === "") return null;
  return (
    <div style={{ display: "grid", gridTemplateColumns: "110px 1fr", gap: 6, fontSize: 13 }}>
      <span style={{ opacity: 0.7 }}>{label}</span><span>{String(value)}</span>
    </div>
  );
}

export default function CharacterSheet() {
  const p = props;
  const refs = p.references || [];
  const states = p.states || [];
  const scenes = p.scenes || [];
  const shots = scenes.reduce((n, s) => n + (s.shots || []).length, 0);
  const th = { textAlign: "left", padding: "3px 6px", borderBottom: "1px solid hsl(var(--border))" };
  const td = { padding: "3px 6px", borderBottom: "1px solid hsl(var(--border))", verticalAlign: "top" };
  return (
    <div className="auteur-view auteur-character" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
        <strong style={{ fontSize: 18 }}>{p.name}</strong>
        <span style={{ opacity: 0.7, fontSize: 12 }}>in {scenes.length} scenes, {shots} shots</span>
        {p.lora ? <Badge variant="outline">LoRA {p.lora}</Badge> : null}
        {p.trigger_word ? <Badge variant="outline">trigger {p.trigger_word}</Badge> : null}
      </div>
      {refs.length ? (
        <div style={{ display: "flex", gap: 6, overflowX: "auto" }}>
          {refs.map((r, i) => r.image ? <img key={i} src={r.image} alt={`Reference ${i + 1} of ${p.name}`}
            style={{ height: 140, borderRadius: 6, border: "1px solid hsl(var(--border))" }} /> : null)}
        </div>) : <div style={{ fontSize: 12, opacity: 0.7 }}>No reference image yet (/reference {p.name}).</div>}
      <div style={{ display: "flex", flexDirection: "column", gap: 3 }}>
        <Field label="description" value={p.description} />
        <Field label="look" value={p.visual} />
        <Field label="age" value={p.age} />
        <Field label="wardrobe" value={p.wardrobe} />
        <Field label="hair" value={p.hair} />
        <Field label="voice" value={p.voice} />
      </div>
      {states.length ? (
        <div>
          <div style={{ fontWeight: 600, fontSize: 13 }}>State per scene</div>
          <table style={{ borderCollapse: "collapse", fontSize: 12, width: "100%" }}>
            <thead><tr>{["scene", "wardrobe", "injuries", "dirt", "holding"].map((h) =>
              <th key={h} style={th}>{h}</th>)}</tr></thead>
            <tbody>{states.map((s) => (
              <tr key={s.scene}>{["scene", "wardrobe", "injuries", "dirt", "holding"].map((k) =>
                <td key={k} style={td}>{s[k] == null ? "" : String(s[k])}</td>)}</tr>))}</tbody>
          </table>
        </div>) : null}
      <div>
        <div style={{ fontWeight: 600, fontSize: 13 }}>Appears in</div>
        {scenes.map((s) => (
          <div key={s.number} style={{ fontSize: 12, margin: "3px 0", display: "flex", flexWrap: "wrap", gap: "2px 8px" }}>
            <span style={{ flexBasis: "100%" }}>{s.number}. {s.heading}</span>
            {(s.shots || []).map((code) => (
              <a key={code} href="#" onClick={(e) => { e.preventDefault(); run(`/shot ${code}`); }}>{code}</a>))}
          </div>
        ))}
      </div>
    </div>
  );
}
