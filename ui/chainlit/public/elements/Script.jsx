// The screenplay in its layout (headings, action, character cues, parentheticals, dialogue, transitions), so that a
// person reads the whole script they are asked to approve.
const MONO = { fontFamily: '"Courier Prime", "Courier New", Courier, ui-monospace, monospace', fontSize: 13,
  lineHeight: 1.35 };
const LAYOUT = {
  heading: { fontWeight: 700, textTransform: "uppercase", marginTop: 14 },
  action: { marginTop: 8 },
  character: { marginTop: 8, marginLeft: "37%", textTransform: "uppercase" },
  parenthetical: { marginLeft: "30%", marginRight: "25%" },
  dialogue: { marginLeft: "22%", marginRight: "18%" },
  transition: { marginTop: 8, textAlign: "right", textTransform: "uppercase" },
  lyrics: { marginLeft: "22%", fontStyle: "italic" },
  centered: { marginTop: 8, textAlign: "center" },
};

export default function Script() {
  const scenes = props.scenes || [];
  return (
    <div className="auteur-view auteur-script" style={{ ...MONO, maxHeight: 640, overflowY: "auto",
      padding: "12px 20px", borderRadius: 6, border: "1px solid hsl(var(--border))", background: "hsl(var(--card))" }}>
      <div style={{ textAlign: "center", fontWeight: 700, textTransform: "uppercase" }}>{props.title}</div>
      {props.pages ? <div style={{ textAlign: "center", opacity: 0.7 }}>{props.pages} pages</div> : null}
      {scenes.map((scene) => (
        <section key={scene.number} data-scene={scene.number}>
          {(scene.elements || []).map((el, i) => (
            <div key={i} style={{ whiteSpace: "pre-wrap", ...(LAYOUT[el.type] || LAYOUT.action) }}>
              {el.type === "heading" ? `${scene.number}. ` : ""}{el.text}</div>
          ))}
        </section>
      ))}
    </div>
  );
}
