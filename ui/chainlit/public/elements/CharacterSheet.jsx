// A character's sheet: look, wardrobe and state per scene, reference images and LoRA, voice, and every scene and
// shot they appear in (a shot opens its inspector).
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

// The side bar's row of views. A custom element cannot import another, so each side view carries this small row.
const NAV_VIEWS = [["board", "Storyboard", "/board"], ["shotlist", "Shot list", "/shotlist"],
  ["review", "Review", "/review"], ["tree", "History", "/tree"]];

function ViewNav({ nav, character }) {
  if (!nav) return null; // a view drawn in the chat has no row
  const go = (command) => callAction({ name: "auteur_view", payload: { command } });
  const cast = nav.characters || [];
  const picked = nav.current === "character" ? character || "" : "";
  const mark = picked ? { outline: "2px solid hsl(var(--primary))" } : {};
  return (
    <nav aria-label="Views" className="auteur-nav" style={{ display: "flex", gap: 4, flexWrap: "wrap",
      alignItems: "center", paddingBottom: 6, borderBottom: "1px solid hsl(var(--border))" }}>
      {NAV_VIEWS.map(([name, label, command]) => (
        <Button key={name} size="sm" style={{ height: 26, padding: "0 8px", fontSize: 12 }}
          variant={nav.current === name ? "default" : "outline"}
          aria-current={nav.current === name ? "page" : undefined} onClick={() => go(command)}>{label}</Button>))}
      <select aria-label="Characters" value={picked} disabled={!cast.length}
        title={cast.length ? "Open a character's sheet" : "No characters yet (the look names them)"}
        onChange={(e) => { if (e.target.value) go(`/character ${e.target.value}`); }}
        style={{ height: 26, fontSize: 12, borderRadius: 6, padding: "0 4px", color: "inherit",
          border: "1px solid hsl(var(--border))", background: "hsl(var(--background))", ...mark }}>
        <option value="">Characters…</option>
        {cast.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
    </nav>
  );
}

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
      <ViewNav nav={p.nav} character={p.name} />
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
