// The side bar's row of views, above the view it shows (ui/web/views.py show_beside): the storyboard, the shot list,
// the review and the history, and a character's sheet picked from the cast. The current one is marked.
import { Button } from "@/components/ui/button";

const NAV_VIEWS = [["board", "Storyboard", "/board"], ["shotlist", "Shot list", "/shotlist"],
  ["review", "Review", "/review"], ["tree", "History", "/tree"]];

function Row({ nav, character }) {
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

export default function ViewNav() {
  return <Row nav={props} character={props.character} />;
}
