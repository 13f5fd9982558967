// The storyboard beside the chat: every shot's active board, scene by scene. A click opens the shot's inspector
// (/shot CODE) in the chat. Props: DESIGN17 "board" (media paths already turned into URLs by the studio).
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const card = { border: "1px solid hsl(var(--border))", borderRadius: 8, overflow: "hidden", cursor: "pointer",
  background: "hsl(var(--card))", textAlign: "left", padding: 0, display: "flex", flexDirection: "column" };
const frame = { width: "100%", aspectRatio: "16 / 9", objectFit: "cover", display: "block",
  background: "hsl(var(--muted))" };

function Board({ shot, picked, pick }) {
  const open = () => {
    pick(shot.code);
    window.auteurPickedShot = shot.code; // the inspector scrolls itself into view when it comes (Shot.jsx)
    callAction({ name: "auteur_view", payload: { command: `/shot ${shot.code}` } });
  };
  const mark = picked ? { outline: "2px solid hsl(var(--primary))", outlineOffset: 1 } : {};
  return (
    <button type="button" style={{ ...card, ...mark }} onClick={open} data-shot={shot.code}
      aria-pressed={picked} aria-label={`Open ${shot.code}`}>
      {shot.image
        ? <img src={shot.image} alt={`Board of ${shot.code}`} style={frame} />
        : <div style={{ ...frame, display: "flex", alignItems: "center", justifyContent: "center",
            fontSize: 12, opacity: 0.7 }}>not drawn yet</div>}
      <div style={{ padding: "6px 8px", fontSize: 12, lineHeight: 1.35 }}>
        <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
          <strong>{shot.code}</strong>
          {shot.take ? <span style={{ opacity: 0.7 }} title={`take ${shot.take} (takes are numbered across boards `
            + "and clips)"}>{shot.board ? `board ${shot.board} of ${shot.takes}` : `take ${shot.take}`}</span> : null}
          {shot.stale ? <Badge variant="destructive">stale</Badge> : null}
        </div>
        <div style={{ opacity: 0.85 }}>{[shot.size, shot.angle, shot.move].filter(Boolean).join(" · ")}
          {shot.lens ? ` · ${shot.lens}mm` : ""}{shot.duration ? ` · ${Number(shot.duration).toFixed(1)}s` : ""}</div>
        {shot.dialogue ? <div style={{ fontStyle: "italic", marginTop: 2 }}>{shot.dialogue}</div> : null}
      </div>
    </button>
  );
}

export default function Storyboard() {
  const view = props._view || {};
  // The board last clicked stays marked (kept on the page: the bar draws the view again after every turn).
  const [picked, setPicked] = useState(window.auteurBoardPicked || null);
  const pick = (code) => { window.auteurBoardPicked = code; setPicked(code); };
  const scenes = props.scenes || [];
  const count = scenes.reduce((n, s) => n + (s.shots || []).length, 0);
  return (
    <div className="auteur-view auteur-storyboard" style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      <div style={{ display: "flex", alignItems: "center", gap: 8, flexWrap: "wrap" }}>
        <strong style={{ fontSize: 16 }}>{props.title}</strong>
        {props.branch ? <Badge variant="outline">branch {props.branch}</Badge> : null}
        <span style={{ opacity: 0.7, fontSize: 12 }}>{count} shots</span>
        {view.download
          ? <a href={view.download} download={view.downloadName || "storyboard.pdf"} style={{ marginLeft: "auto" }}>
              <Button variant="outline" size="sm">Contact sheet (PDF)</Button></a>
          : null}
      </div>
      {scenes.map((scene) => (
        <section key={scene.number}>
          <div style={{ fontWeight: 600, fontSize: 13, margin: "4px 0" }}>{scene.number}. {scene.heading}</div>
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(170px, 1fr))", gap: 8 }}>
            {(scene.shots || []).map((shot) => <Board key={shot.code} shot={shot} picked={picked === shot.code}
              pick={pick} />)}
          </div>
        </section>
      ))}
    </div>
  );
}
