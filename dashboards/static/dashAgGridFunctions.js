/*
 * Value formatters of the dashboard's AG Grids, in French (served locally by Dash).
 * Values stay numbers, so the grid sorts them as numbers; only their display is French.
 */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.frNumber = function (value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return "—";
    }
    return new Intl.NumberFormat("fr-FR", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
    }).format(value);
};

dagfuncs.frSigned = function (value) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return "—";
    }
    return new Intl.NumberFormat("fr-FR", {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
        signDisplay: "exceptZero",
    }).format(value) + " pt";
};

dagfuncs.frOrdinal = function (value) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return "—";
    }
    var rounded = Math.round(value);
    return rounded === 1 ? "1er" : rounded + "e";
};

// A grid paged by the server shows rows not loaded yet without data: nothing to write.
dagfuncs.frRank = function (params) {
    if (!params.data || params.value === null || params.value === undefined) {
        return "—";
    }
    return dagfuncs.frOrdinal(params.value) + " sur " + params.data.peers;
};

dagfuncs.frInterval = function (params) {
    if (!params.data) {
        return "";
    }
    var low = params.data.rank_p05;
    var high = params.data.rank_p95;
    if (low === null || low === undefined || high === null || high === undefined) {
        return "—";
    }
    low = Math.floor(low);
    high = Math.ceil(high);
    return low === high ? dagfuncs.frOrdinal(low) : dagfuncs.frOrdinal(low) + " – " + dagfuncs.frOrdinal(high);
};
