// The project's history stage by stage: its branches (switch), and each stage's commits (compare with now, restore).
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// A commit's time as a person says it, in the browser's time zone: "17:19 today", "2 Dec 17:19", "2 Dec 2025 17:19".
function when(stamp) {
  const date = new Date(stamp);
  if (!stamp || Number.isNaN(date.getTime())) return stamp || "";
  const now = new Date();
  const clock = `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
  if (date.toDateString() === now.toDateString()) return `${clock} today`;
  const year = date.getFullYear() === now.getFullYear() ? "" : ` ${date.getFullYear()}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${clock}`;
}

export default function HistoryTree() {
  const branches = props.branches || [];
  const stages = props.stages || [];
  return (
    <div className="auteur-view auteur-tree" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
        <strong style={{ fontSize: 16 }}>History</strong>
        {branches.map((b) => b === props.branch
          ? <Badge key={b}>{b} (in use)</Badge>
          : <Button key={b} size="sm" variant="outline" onClick={() => run(`/branch switch ${b}`)}>
              Switch to {b}</Button>)}
      </div>
      {stages.map((stage) => (
        <section key={stage.stage} data-stage={stage.stage}>
          <div style={{ fontWeight: 600, fontSize: 13, textTransform: "capitalize" }}>{stage.stage}</div>
          <ol style={{ listStyle: "none", margin: 0, paddingLeft: 10, borderLeft: "2px solid hsl(var(--border))" }}>
            {(stage.commits || []).map((c, i) => (
              <li key={c.rev + i} style={{ position: "relative", padding: "3px 0 3px 10px", fontSize: 12 }}>
                <span style={{ position: "absolute", left: -6, top: 9, width: 10, height: 10, borderRadius: 5,
                  background: i === 0 ? "hsl(var(--primary))" : "hsl(var(--muted-foreground))" }} />
                <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
                  <code>{c.rev}</code>
                  {c.action ? <Badge variant="outline">{c.action}</Badge> : null}
                  <span>{c.summary}{c.count > 1 ? ` (${c.count} commits)` : ""}</span>
                  <span style={{ opacity: 0.7 }}>{c.who} · {when(c.when)}</span>
                  {i > 0 ? (
                    <span style={{ display: "flex", gap: 4, marginLeft: "auto" }}>
                      <Button size="sm" variant="outline" onClick={() => run(`/compare ${stage.stage} ${c.rev}`)}>
                        Compare</Button>
                      <Button size="sm" variant="outline" onClick={() => run(`/restore ${stage.stage} ${c.rev}`)}>
                        Restore</Button>
                    </span>) : null}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
