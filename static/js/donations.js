// Donation forms: typing another amount unselects the amount buttons, and choosing a button clears
// the typed amount, so what the reader sees selected is what PayPal receives. Works without it too
// (the server lets a typed amount win).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".donate-form").forEach((form) => {
    const other = form.querySelector('input[name="other_amount"]');
    const buttons = form.querySelectorAll('input[name="amount"]');
    if (!other) return;
    other.addEventListener("input", () => {
      if (other.value.trim() !== "") buttons.forEach((button) => { button.checked = false; });
    });
    buttons.forEach((button) => {
      button.addEventListener("change", () => { other.value = ""; });
    });
  });
});
