// The prompt inspector of one shot (/shot CODE): its takes side by side (pick the active one), its frame and video
// prompts (edit, save, reset), and a new take. Every button sends a command line, the same as typing it.
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// A take's time as a person says it, in the browser's own time zone: "17:19 today", "2 Dec 17:19", "2 Dec 2025 17:19".
function when(stamp) {
  const date = new Date(stamp);
  if (!stamp || Number.isNaN(date.getTime())) return stamp || "";
  const now = new Date();
  const clock = `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
  if (date.toDateString() === now.toDateString()) return `${clock} today`;
  const year = date.getFullYear() === now.getFullYear() ? "" : ` ${date.getFullYear()}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${clock}`;
}
const box = { width: "100%", minHeight: 84, fontSize: 13, lineHeight: 1.4, padding: 8, borderRadius: 6,
  border: "1px solid hsl(var(--border))", background: "hsl(var(--background))", color: "inherit",
  fontFamily: "inherit", resize: "vertical" };

function Prompt({ code, which, text, edited }) {
  const [value, setValue] = useState(text || "");
  useEffect(() => setValue(text || ""), [text]);
  const prefix = which === "video" ? "video: " : "";
  const oneLine = value.replace(/\s+/g, " ").trim();
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <div style={{ display: "flex", gap: 6, alignItems: "center", fontSize: 12, fontWeight: 600 }}>
        {which === "video" ? "Video prompt" : "Frame prompt"}
        {edited ? <Badge variant="secondary">edited by you</Badge> : null}
      </div>
      <textarea aria-label={`${which} prompt of ${code}`} style={box} value={value}
        onChange={(e) => setValue(e.target.value)} />
      <div style={{ display: "flex", gap: 6 }}>
        <Button size="sm" disabled={!oneLine || oneLine === (text || "").replace(/\s+/g, " ").trim()}
          onClick={() => run(`/prompt ${code} ${prefix}${oneLine}`)}>Save {which} prompt</Button>
        {edited ? <Button size="sm" variant="outline" onClick={() => run(`/prompt ${code} ${prefix}reset`)}>
          Reset {which} prompt</Button> : null}
      </div>
    </div>
  );
}

function Take({ code, take }) {
  const media = { width: "100%", aspectRatio: "16 / 9", objectFit: "cover", display: "block",
    background: "hsl(var(--muted))", borderRadius: 4 };
  return (
    <div data-take={take.number} style={{ border: take.active ? "2px solid hsl(var(--primary))"
      : "1px solid hsl(var(--border))", borderRadius: 8, padding: 6, display: "flex", flexDirection: "column",
      gap: 4, fontSize: 12 }}>
      {take.video ? <video src={take.video} style={media} controls preload="metadata" />
        : take.image ? <img src={take.image} alt={`${code} take ${take.number}`} style={media} />
        : <div style={media} />}
      <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
        <strong>take {take.number}</strong><span style={{ opacity: 0.7 }}>{take.kind}</span>
        {take.active ? <Badge>active {take.kind}</Badge>
          : <Button size="sm" variant="outline" onClick={() => run(`/take ${code} ${take.number}`)}>
              Use take {take.number}</Button>}
      </div>
      <div style={{ opacity: 0.7 }}>{[take.model, take.seed != null ? `seed ${take.seed}` : null, when(take.created)]
        .filter(Boolean).join(" · ")}</div>
    </div>
  );
}

export default function Shot() {
  const p = props;
  const takes = p.takes || [];
  const edited = p.prompt_edited || {};
  const view = useRef(null);
  useEffect(() => {
    // Opened from a board of the storyboard: the chat scrolls to this inspector (once; a redraw stays put).
    if (window.auteurPickedShot === p.code && view.current) {
      window.auteurPickedShot = null;
      view.current.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }, [p.code]);
  return (
    <div ref={view} className="auteur-view auteur-shot" data-code={p.code}
      style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      <div style={{ display: "flex", gap: 8, alignItems: "baseline", flexWrap: "wrap" }}>
        <strong style={{ fontSize: 16 }}>{p.code}</strong>
        <span>{[p.size, p.angle, p.move].filter(Boolean).join(" · ")}{p.lens ? ` · ${p.lens}mm` : ""}
          {p.duration ? ` · ${Number(p.duration).toFixed(1)}s` : ""}</span>
        {(p.characters || []).map((c) => <Badge key={c} variant="outline">{c}</Badge>)}
      </div>
      {p.action ? <div style={{ fontSize: 13 }}>{p.action}</div> : null}
      {p.dialogue ? <div style={{ fontSize: 13, fontStyle: "italic" }}>{p.dialogue}</div> : null}
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(200px, 1fr))", gap: 8 }}>
        {takes.length ? takes.map((t) => <Take key={t.number} code={p.code} take={t} />)
          : <div style={{ fontSize: 12, opacity: 0.7 }}>No takes yet.</div>}
      </div>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
        <Button size="sm" variant="outline" onClick={() => run(`/render boards ${p.code} yes`)}>New board</Button>
        <Button size="sm" variant="outline" onClick={() => run(`/render clips ${p.code} yes`)}>New clip</Button>
      </div>
      <Prompt code={p.code} which="frame" text={p.frame_prompt} edited={edited.frame} />
      <Prompt code={p.code} which="video" text={p.video_prompt} edited={edited.video} />
    </div>
  );
}
