"""Watching SDV training from the inside: progress per epoch, cancellation, prepared data.

SDV builds its deep model inside `fit` (`self._model = CTGAN(...)`), and ctgan/deepecho offer no
callback, but every one of them appends a row to its `loss_values` table after each epoch. The
`Observed*` subclasses below turn that assignment into a progress report, check for
cancellation between CTGAN steps, and give CTGAN/TVAE a cache-aware DataTransformer. They live
only while training: `FitObserver.release` hands back plain SDV/ctgan objects, so a persisted
model holds nothing of ours.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
from ctgan import CTGAN, TVAE
from ctgan.data_transformer import DataTransformer
from deepecho.models.par import PARModel
from sdv.multi_table import HMASynthesizer
from sdv.sequential import PARSynthesizer
from sdv.single_table import CopulaGANSynthesizer, CTGANSynthesizer, TVAESynthesizer

from synthstudio_engine_sdv.prepared_data import PreparedDataCache, ReusableDataTransformer
from synthstudio_libs.jobs.progress import Progress
from synthstudio_synthesis.engine.interface import PreparedDataUse

_LOSS_NAMES = {
    "Generator Loss": "generator_loss",
    "Discriminator Loss": "discriminator_loss",
    "Loss": "loss",
}


class FitObserver:
    """Turns training events into `Progress` updates (which raise JobCancelled to stop).

    Fractions: data preparation runs up to `training_from`, epochs fill `training_from` to
    `training_to`; the caller reports the stages around them.
    """

    def __init__(
        self,
        progress: Progress,
        *,
        epochs: int | None = None,
        prepared_data: PreparedDataCache | None = None,
        training_from: float = 0.15,
        training_to: float = 0.99,
        report_every: float = 0.5,
    ) -> None:
        self.progress = progress
        self.epochs = epochs
        self.prepared_data = prepared_data
        self.training_from = training_from
        self.training_to = training_to
        self.report_every = report_every
        self.epochs_completed = 0
        self.prepared_data_use = PreparedDataUse.NOT_APPLICABLE
        self._last_report = time.monotonic()
        self._columns_prepared = 0

    def stage(self, fraction: float, message: str, **details: float | int | str) -> None:
        self._last_report = time.monotonic()
        self.progress.update(fraction, message, **details)

    def _due(self) -> bool:
        return time.monotonic() - self._last_report >= self.report_every

    # Data preparation (ctgan's DataTransformer).
    def data_transformer(self) -> DataTransformer:
        if self.prepared_data is None:
            self.prepared_data_use = PreparedDataUse.COMPUTED
            return DataTransformer()
        return ReusableDataTransformer(self.prepared_data, self.prepared, self.column_prepared)

    def column_prepared(self) -> None:
        self._columns_prepared += 1
        if self._due():
            fraction = min(self.training_from - 0.02, 0.05 + 0.01 * self._columns_prepared)
            self.stage(fraction, "preparing training data", columns=self._columns_prepared)

    def prepared(self, reused: bool) -> None:
        self.prepared_data_use = PreparedDataUse.REUSED if reused else PreparedDataUse.COMPUTED
        message = "reused prepared training data" if reused else "prepared training data"
        self.stage(self.training_from - 0.01, message)

    # Epochs.
    def losses_recorded(self, losses: pd.DataFrame | None) -> None:
        """Called with the model's loss table each time the model assigns it."""
        if losses is None:
            return
        if losses.empty:
            self.stage(self.training_from, "training", epoch=0, epochs=self.epochs or 0)
            return
        epoch = int(losses["Epoch"].iloc[-1]) + 1
        if epoch <= self.epochs_completed:
            return
        self.epochs_completed = epoch
        last = losses.iloc[-1]
        figures = {
            name: float(last[column])
            for column, name in _LOSS_NAMES.items()
            if column in losses.columns and pd.notna(last[column])
        }
        self.stage(
            self._epoch_fraction(epoch),
            f"finished epoch {epoch}/{self.epochs}",
            epoch=epoch,
            epochs=self.epochs or 0,
            **figures,
        )

    def step(self) -> None:
        """A training step inside an epoch: reports (and checks cancellation) now and then.

        `epoch` in the details is always the number of epochs completed.
        """
        if self._due():
            self.stage(
                self._epoch_fraction(self.epochs_completed),
                f"training epoch {self.epochs_completed + 1}/{self.epochs}",
                epoch=self.epochs_completed,
                epochs=self.epochs or 0,
            )

    def _epoch_fraction(self, epochs_done: int) -> float:
        share = epochs_done / self.epochs if self.epochs else 0.0
        return self.training_from + (self.training_to - self.training_from) * share

    # Deep models.
    def adopt(self, model: Any) -> Any:
        """The model as its observed subclass, when it has one."""
        observed = _OBSERVED_MODELS.get(type(model))
        if observed is None:
            return model
        adopted = observed.__new__(observed)
        adopted.__dict__.update(vars(model))
        adopted._observer = self
        return adopted

    def release(self, synthesizer: Any) -> Any:
        """The trained synthesizer with every observed object swapped for its plain class."""
        plain = _as_plain(synthesizer)
        model = plain.__dict__.get("_model")
        if model is not None:
            plain._model = _as_plain(model)
            for name in ("_transformer", "transformer"):
                transformer = plain._model.__dict__.get(name)
                if isinstance(transformer, ReusableDataTransformer):
                    plain._model.__dict__[name] = transformer.plain()
        return plain


def _as_plain(obj: Any) -> Any:
    base = _PLAIN_CLASSES.get(type(obj))
    if base is None:
        return obj
    plain = base.__new__(base)
    plain.__dict__.update({k: v for k, v in vars(obj).items() if k != "_observer"})
    return plain


class _ObservedModel:
    """Reports each epoch when the model (re)assigns its `loss_values` table."""

    _observer: FitObserver | None = None

    @property
    def loss_values(self) -> pd.DataFrame | None:
        return self.__dict__.get("loss_values")

    @loss_values.setter
    def loss_values(self, value: pd.DataFrame | None) -> None:
        self.__dict__["loss_values"] = value
        if self._observer is not None:
            self._observer.losses_recorded(value)


class ObservedCTGAN(_ObservedModel, CTGAN):
    """CTGAN with epoch reports, step-level cancellation and a cache-aware DataTransformer."""

    @property
    def _transformer(self) -> DataTransformer | None:
        return self.__dict__.get("_transformer")

    @_transformer.setter
    def _transformer(self, value: DataTransformer | None) -> None:
        if self._observer is not None and type(value) is DataTransformer:
            value = self._observer.data_transformer()
        self.__dict__["_transformer"] = value

    def _apply_activate(self, data: Any) -> Any:
        # Called once per generator pass: the one per-step hook CTGAN's training loop offers.
        if self._observer is not None:
            self._observer.step()
        return super()._apply_activate(data)


class ObservedTVAE(_ObservedModel, TVAE):
    """TVAE with epoch reports and a cache-aware DataTransformer."""

    @property
    def transformer(self) -> DataTransformer | None:
        return self.__dict__.get("transformer")

    @transformer.setter
    def transformer(self, value: DataTransformer | None) -> None:
        if self._observer is not None and type(value) is DataTransformer:
            value = self._observer.data_transformer()
        self.__dict__["transformer"] = value


class ObservedPARModel(_ObservedModel, PARModel):
    """deepecho's PAR model with epoch reports."""


class _ObservedSynthesizer:
    """An SDV synthesizer whose deep model, once SDV builds it, is adopted by the observer."""

    _observer: FitObserver | None = None

    @property
    def _model(self) -> Any:
        return self.__dict__.get("_model")

    @_model.setter
    def _model(self, model: Any) -> None:
        if self._observer is not None and model is not None:
            model = self._observer.adopt(model)
        self.__dict__["_model"] = model


class ObservedCTGANSynthesizer(_ObservedSynthesizer, CTGANSynthesizer):
    pass


class ObservedTVAESynthesizer(_ObservedSynthesizer, TVAESynthesizer):
    pass


class ObservedCopulaGANSynthesizer(_ObservedSynthesizer, CopulaGANSynthesizer):
    pass


class ObservedPARSynthesizer(_ObservedSynthesizer, PARSynthesizer):
    pass


class ObservedHMASynthesizer(HMASynthesizer):
    """HMA reporting each parent-child relationship it learns (its slow part)."""

    _observer: FitObserver | None = None

    def _get_extension(
        self,
        child_name: str,
        child_table: pd.DataFrame,
        foreign_key: str,
        progress_bar_desc: str,
    ) -> pd.DataFrame:
        if self._observer is not None:
            total = max(len(self.metadata.relationships), 1)
            done = self._learned_relationships
            self._observer.stage(
                0.1 + 0.6 * done / total,
                f"learning relationship {done + 1}/{total} ({child_name}.{foreign_key})",
                relationship=done + 1,
                relationships=total,
            )
        return super()._get_extension(child_name, child_table, foreign_key, progress_bar_desc)

    def _model_tables(self, augmented_data: dict[str, pd.DataFrame]) -> None:
        if self._observer is not None:
            self._observer.stage(0.7, "modelling tables", tables=len(augmented_data))
        super()._model_tables(augmented_data)


_OBSERVED_MODELS: dict[type, type] = {
    CTGAN: ObservedCTGAN,
    TVAE: ObservedTVAE,
    PARModel: ObservedPARModel,
}
_PLAIN_CLASSES: dict[type, type] = {
    ObservedCTGAN: CTGAN,
    ObservedTVAE: TVAE,
    ObservedPARModel: PARModel,
    ObservedCTGANSynthesizer: CTGANSynthesizer,
    ObservedTVAESynthesizer: TVAESynthesizer,
    ObservedCopulaGANSynthesizer: CopulaGANSynthesizer,
    ObservedPARSynthesizer: PARSynthesizer,
    ObservedHMASynthesizer: HMASynthesizer,
}
