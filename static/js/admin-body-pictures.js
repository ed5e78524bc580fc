// Pictures from inside the body editor (django-prose-editor loads this module for the
// "BodyPicture" extension; articles/body_pictures.py answers it). The figure button, dropping a
// picture on the text and pasting one all open the same dialog: upload a file or choose one from
// the library (searchable), then alt text (required), caption, credit and alignment. Uploads go
// through the image library's own checks and renditions; the figure carries one of our alignment
// classes (articles/sanitize.py keeps them). No second page, no address box.
import { Figure, Plugin, canInsertNode, crel } from "django-prose-editor/editor"

const ALIGNMENTS = [
  ["", "In the text column"],
  ["align-left", "Left, text wraps round it"],
  ["align-right", "Right, text wraps round it"],
  ["align-center", "Centred"],
  ["align-wide", "Wide"],
]
const ACCEPTED = ["image/jpeg", "image/png", "image/webp", "image/gif"]
let dialogCount = 0

const imageFiles = (list) => Array.from(list || []).filter((file) => file.type.startsWith("image/"))

const csrfToken = () => {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]")
  return field ? field.value : ""
}

const figureAt = (state) => {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === "figure") return { node, pos: $from.before(depth) }
  }
  const node = state.selection.node
  if (node && node.type.name === "figure") return { node, pos: state.selection.from }
  return null
}

const field = (label, control, help) => {
  const id = `body-picture-${dialogCount}-${control.name}`
  control.id = id
  const parts = [crel("label", { htmlFor: id, textContent: label })]
  if (help) {
    const helpId = `${id}-help`
    parts.push(crel("span", { id: helpId, className: "prose-editor-help", textContent: help }))
    control.setAttribute("aria-describedby", helpId)
  }
  parts.push(control)
  return crel("div", { className: "prose-editor-dialog-field" }, parts)
}

// The dialog. Resolves with {picture, alt, caption, credit, align} or null when cancelled.
// `current` describes the figure being edited (then no picture needs choosing).
function pictureDialog(editor, options, { file = null, current = null } = {}) {
  dialogCount += 1
  return new Promise((resolve) => {
    let chosen = current ? { url: current.src } : null
    let chosenFile = null

    const preview = crel("img", { className: "body-picture-preview", alt: "" })
    const previewName = crel("span", { className: "body-picture-preview-name" })
    const previewBox = crel("div", { className: "body-picture-chosen", hidden: true }, [
      preview,
      previewName,
    ])
    const fileInput = crel("input", { type: "file", name: "file", accept: ACCEPTED.join(",") })
    const dropZone = crel("div", { className: "body-picture-drop" }, [
      field("Upload a picture", fileInput, "Or drop a picture here, or paste one into the text."),
    ])
    const search = crel("input", { type: "search", name: "q", placeholder: "Words from the alt text, caption or credit" })
    const results = crel("ul", { className: "body-picture-results", role: "list" })
    const library = crel("div", { className: "body-picture-library" }, [
      field("Or choose from the library", search),
      results,
    ])
    const alt = crel("textarea", { name: "alt", rows: 2, required: true })
    const caption = crel("input", { type: "text", name: "caption", maxLength: 500 })
    const credit = crel("input", { type: "text", name: "credit", maxLength: 200 })
    const alignment = crel(
      "fieldset",
      { className: "prose-editor-dialog-field body-picture-alignment" },
      [
        crel("legend", { textContent: "Alignment" }),
        ...ALIGNMENTS.map(([value, label], index) => {
          const radio = crel("input", {
            type: "radio",
            name: "align",
            value,
            id: `body-picture-${dialogCount}-align-${index}`,
            checked: (current ? current.align : "") === value,
          })
          return crel("span", { className: "body-picture-option" }, [
            radio,
            crel("label", { htmlFor: radio.id, textContent: label }),
          ])
        }),
      ],
    )
    const problem = crel("p", { className: "body-picture-problem", role: "alert" })
    const submit = crel("button", { type: "submit", textContent: current ? "Update" : "Insert" })
    const cancel = crel("button", { type: "button", textContent: "Cancel" })
    const title = crel("h3", {
      className: "prose-editor-dialog-title",
      id: `body-picture-${dialogCount}-title`,
      textContent: current ? "Edit the picture" : "Insert a picture",
    })
    const form = crel("form", { method: "dialog" }, [
      title,
      ...(current ? [] : [dropZone, library]),
      previewBox,
      field("Alternative text", alt, "Describe the picture for readers who cannot see it."),
      ...(current && current.hasCaption ? [] : [field("Caption", caption)]),
      ...(current ? [] : [field("Credit", credit)]),
      alignment,
      problem,
      crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog body-picture-dialog" }, [form])
    dialog.setAttribute("aria-labelledby", title.id)
    if (current) {
      alt.value = current.alt || ""
      preview.src = current.src
      previewBox.hidden = false
    }

    const show = (src, name) => {
      preview.src = src
      previewName.textContent = name || ""
      previewBox.hidden = false
    }
    const useFile = (picked) => {
      if (!picked) return
      for (const other of results.querySelectorAll("[aria-pressed]")) other.setAttribute("aria-pressed", "false")
      if (!ACCEPTED.includes(picked.type)) {
        problem.textContent = `“${picked.name}” is not a JPEG, PNG, WebP or GIF picture.`
        return
      }
      problem.textContent = ""
      chosenFile = picked
      chosen = null
      const reader = new FileReader()
      reader.addEventListener("load", () => show(reader.result, picked.name))
      reader.readAsDataURL(picked)
      alt.focus()
    }
    const useLibraryPicture = (picture) => {
      chosen = picture
      chosenFile = null
      problem.textContent = ""
      show(picture.thumbnail, picture.alt)
      if (!alt.value) alt.value = picture.alt
      if (!caption.value) caption.value = picture.caption
      if (!credit.value) credit.value = picture.credit
      alt.focus()
    }

    let searchTimer = null
    const loadLibrary = () => {
      const url = `${options.libraryUrl}?q=${encodeURIComponent(search.value)}`
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { pictures: [] }))
        .then((data) => {
          results.replaceChildren(
            ...data.pictures.map((picture) => {
              const button = crel("button", { type: "button", className: "body-picture-choice", title: picture.alt }, [
                crel("img", { src: picture.thumbnail, alt: "", loading: "lazy" }),
                crel("span", { textContent: picture.alt }),
              ])
              button.setAttribute("aria-pressed", "false")
              button.addEventListener("click", () => {
                for (const other of results.querySelectorAll("[aria-pressed]")) other.setAttribute("aria-pressed", "false")
                button.setAttribute("aria-pressed", "true")
                useLibraryPicture(picture)
              })
              return crel("li", {}, [button])
            }),
          )
          if (!data.pictures.length) {
            results.append(crel("li", { className: "body-picture-none", textContent: "No picture in the library matches." }))
          }
        })
    }
    search.addEventListener("input", () => {
      clearTimeout(searchTimer)
      searchTimer = setTimeout(loadLibrary, 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault()
    })
    fileInput.addEventListener("change", () => useFile(fileInput.files[0]))
    dropZone.addEventListener("dragover", (event) => {
      event.preventDefault()
      dropZone.classList.add("body-picture-drop--over")
    })
    dropZone.addEventListener("dragleave", () => dropZone.classList.remove("body-picture-drop--over"))
    dropZone.addEventListener("drop", (event) => {
      event.preventDefault()
      dropZone.classList.remove("body-picture-drop--over")
      useFile(imageFiles(event.dataTransfer.files)[0])
    })
    dialog.addEventListener("paste", (event) => {
      const pasted = imageFiles(event.clipboardData && event.clipboardData.files)[0]
      if (pasted) {
        event.preventDefault()
        useFile(pasted)
      }
    })

    let settled = false
    const finish = (value) => {
      if (settled) return
      settled = true
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    cancel.addEventListener("click", () => finish(null))
    dialog.addEventListener("close", () => finish(null))

    const upload = () => {
      const data = new FormData()
      data.append("file", chosenFile)
      data.append("alt_text", alt.value.trim())
      data.append("caption", caption.value.trim())
      data.append("credit", credit.value.trim())
      return fetch(options.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      }).then((response) =>
        response
          .json()
          .catch(() => ({ message: `The upload failed (${response.status}). Try again.` }))
          .then((answer) => {
            if (!response.ok || !answer.picture) throw new Error(answer.message || "The upload failed.")
            return answer.picture
          }),
      )
    }

    submit.addEventListener("click", (event) => {
      event.preventDefault()
      if (!chosen && !chosenFile) {
        problem.textContent = "Choose a picture: upload one, drop one here, or pick one from the library."
        return
      }
      if (!alt.value.trim()) {
        problem.textContent = "Describe the picture in the alternative text, for readers who cannot see it."
        alt.focus()
        return
      }
      const answer = (picture) => ({
        picture,
        alt: alt.value.trim(),
        caption: caption.value.trim(),
        credit: credit.value.trim(),
        align: (form.elements.align.value || "").trim(),
      })
      if (!chosenFile) {
        finish(answer(chosen))
        return
      }
      submit.disabled = true
      problem.textContent = "Uploading…"
      upload()
        .then((picture) => finish(answer(picture)))
        .catch((error) => {
          problem.textContent = error.message
          submit.disabled = false
        })
    })

    editor.view.dom.parentElement.append(dialog)
    dialog.showModal()
    if (file) useFile(file)
    else if (!current) loadLibrary()
  })
}

function figureContent({ picture, alt, caption, credit }) {
  const content = [{ type: "image", attrs: { src: picture.url, alt } }]
  const words = [caption, credit].filter(Boolean).join(" — ")
  if (words) content.push({ type: "caption", content: [{ type: "text", text: words }] })
  return content
}

export const BodyPicture = Figure.extend({
  addOptions() {
    return { ...this.parent?.(), uploadUrl: null, libraryUrl: null }
  },

  addAttributes() {
    return {
      class: {
        default: null,
        parseHTML: (element) => element.getAttribute("class") || null,
        renderHTML: (attributes) => (attributes.class ? { class: attributes.class } : {}),
      },
    }
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = node.attrs.class || ""
      return {
        dom,
        contentDOM: dom,
        update: (updated) => {
          if (updated.type.name !== "figure") return false
          dom.className = updated.attrs.class || ""
          return true
        },
      }
    }
  },

  addCommands() {
    const options = this.options
    const open = (editor, { file = null, at = null } = {}) => {
      const found = file ? null : figureAt(editor.state)
      let current = null
      if (found) {
        let image = null
        let hasCaption = false
        found.node.forEach((child) => {
          if (child.type.name === "image") image = child
          if (child.type.name === "caption") hasCaption = true
        })
        current = {
          src: image ? image.attrs.src : "",
          alt: image ? image.attrs.alt : "",
          align: found.node.attrs.class || "",
          hasCaption,
        }
      }
      pictureDialog(editor, options, { file, current }).then((answer) => {
        if (!answer) return
        if (found) {
          editor
            .chain()
            .focus()
            .command(({ tr, state }) => {
              const figure = state.doc.nodeAt(found.pos)
              if (!figure) return false
              tr.setNodeMarkup(found.pos, undefined, { ...figure.attrs, class: answer.align || null })
              figure.forEach((child, offset) => {
                if (child.type.name === "image") {
                  tr.setNodeMarkup(found.pos + 1 + offset, undefined, { ...child.attrs, alt: answer.alt })
                }
              })
              if (answer.caption && !current.hasCaption) {
                const end = found.pos + figure.nodeSize - 1
                tr.insert(end, state.schema.nodes.caption.create({}, state.schema.text(answer.caption)))
              }
              return true
            })
            .run()
          return
        }
        const figure = { type: "figure", attrs: { class: answer.align || null }, content: figureContent(answer) }
        const chain = editor.chain().focus()
        if (at === null) chain.insertContent(figure).run()
        else chain.insertContentAt(at, figure).run()
      })
      return true
    }
    return {
      ...this.parent?.(),
      editImage:
        () =>
        ({ editor, state, dispatch }) => {
          const can = figureAt(state) || canInsertNode(state, state.schema.nodes.figure)
          if (!dispatch) return !!can
          return can ? open(editor) : false
        },
      insertFigure:
        () =>
        ({ commands }) =>
          commands.editImage(),
      insertPictureFile:
        (file, at = null) =>
        ({ editor, dispatch }) => {
          if (dispatch) open(editor, { file, at })
          return true
        },
    }
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      ...(this.parent?.() || []),
      new Plugin({
        props: {
          handleDrop(view, event, _slice, moved) {
            const file = !moved && imageFiles(event.dataTransfer && event.dataTransfer.files)[0]
            if (!file) return false
            event.preventDefault()
            const place = view.posAtCoords({ left: event.clientX, top: event.clientY })
            editor.commands.insertPictureFile(file, place ? place.pos : null)
            return true
          },
          handlePaste(_view, event) {
            const file = imageFiles(event.clipboardData && event.clipboardData.files)[0]
            if (!file) return false
            event.preventDefault()
            editor.commands.insertPictureFile(file)
            return true
          },
        },
      }),
    ]
  },
})
