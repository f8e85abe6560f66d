/*
 * Accessibility repairs of Dash 4 core components (RGAA / WCAG 2.1 AA), applied to the DOM
 * as React renders it. Dash serves this file itself (assets folder): nothing external.
 *
 * - dcc.RadioItems / dcc.Checklist render role="listbox" with role="option" labels wrapping
 *   native inputs: nested interactive controls without a name. Native radios and checkboxes
 *   already say everything, so the group becomes a radiogroup / group named by the control's
 *   <legend> or <label>, and the labels lose their option role (and aria-selected, which
 *   React sets again on each option checked later).
 * - dcc.Dropdown puts the keyboard focus on an aria-hidden input (focusable yet hidden from
 *   screen readers) and takes its button out of the tab order: the button, which has the
 *   dropdown's name and opens it, becomes the tab stop.
 * - dcc.Upload's file input has no name: it gets the text of the drop zone.
 * - A table wider than its box can be scrolled with the keyboard (a focusable region named by
 *   the table's caption).
 */
(function () {
    "use strict";

    function controlName(element) {
        var holder = element.closest("fieldset, .control, .field");
        if (!holder) {
            return null;
        }
        var caption = holder.querySelector("legend, label:not(.dash-options-list-option)");
        return caption ? caption.textContent.trim() : null;
    }

    function repairOptionLists(root) {
        // React sets aria-selected again on an option checked after the first repair.
        root.querySelectorAll(
            ".dash-options-list[role='group'] .dash-options-list-option[aria-selected], " +
            ".dash-options-list[role='radiogroup'] .dash-options-list-option[aria-selected]"
        ).forEach(function (option) {
            option.removeAttribute("aria-selected");
        });
        root.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
            if (list.matches(".dash-dropdown-options") || list.closest(".dash-dropdown-content")) {
                return; // a dropdown's list is a real listbox: its options stay options
            }
            var radios = list.classList.contains("dash-radioitems");
            list.setAttribute("role", radios ? "radiogroup" : "group");
            if (!list.hasAttribute("aria-label")) {
                var name = controlName(list);
                if (name) {
                    list.setAttribute("aria-label", name);
                }
            }
            list.querySelectorAll(".dash-options-list-option[role='option']").forEach(
                function (option) {
                    option.removeAttribute("role");
                    option.removeAttribute("aria-selected");
                }
            );
        });
    }

    function repairDropdowns(root) {
        root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(
            function (target) {
                if (target.getAttribute("tabindex") !== "-1") {
                    target.setAttribute("tabindex", "-1");
                }
                var button = target.parentElement.querySelector("button.dash-dropdown");
                if (button && button.getAttribute("tabindex") !== "0") {
                    button.setAttribute("tabindex", "0");
                }
            }
        );
    }

    function repairUploads(root) {
        root.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (input) {
            var zone = input.parentElement;
            var text = zone ? zone.textContent.trim() : "";
            input.setAttribute("aria-label", text || "Choisir un fichier");
        });
    }

    function repairScrollableTables(root) {
        root.querySelectorAll(".table-scroll:not([tabindex])").forEach(function (box) {
            if (box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight) {
                return;
            }
            box.setAttribute("tabindex", "0");
            box.setAttribute("role", "region");
            var caption = box.querySelector("caption");
            box.setAttribute(
                "aria-label",
                caption ? caption.textContent.trim() : "Tableau défilant"
            );
        });
    }

    function repair() {
        repairOptionLists(document);
        repairDropdowns(document);
        repairUploads(document);
        repairScrollableTables(document);
    }

    var scheduled = false;
    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(function () {
                scheduled = false;
                repair();
            });
        }
    }

    new MutationObserver(schedule).observe(document.documentElement, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ["role", "tabindex", "aria-hidden", "aria-selected", "open", "class"],
    });
    window.addEventListener("resize", schedule);
    document.addEventListener("toggle", schedule, true);
    schedule();
})();
