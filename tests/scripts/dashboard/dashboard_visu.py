# A helper of this project's test script dashboard.py, in the manner of the animated training
# dashboards of 2016-2018 TF1 tutorials: the training runs inside a Matplotlib FuncAnimation,
# one frame per few steps, and the helper uses calls Matplotlib has since removed
# (canvas.set_window_title, Axes.change_geometry, ax.collections.remove).
import matplotlib.animation as animation
import matplotlib.pyplot as plt
import numpy as np

plt.style.use(["ggplot", "dashboard.mplstyle"])


class Dashboard:
    def __init__(self):
        self.steps, self.accuracies, self.losses = [], [], []
        self.weights = np.zeros([0, 3])
        fig = plt.figure(figsize=(8, 4), dpi=50)
        plt.gcf().canvas.set_window_title("MNIST")
        self.ax1 = fig.add_subplot(121)
        self.ax2 = fig.add_subplot(122)
        self.ax2.change_geometry(1, 2, 2)
        (self.line1,) = self.ax1.plot([], [])
        (self.line2,) = self.ax1.plot([], [])
        self.fig = fig
        self._animation = None

    def append_training_curves_data(self, step, accuracy, loss):
        self.steps.append(step)
        self.accuracies.append(accuracy)
        self.losses.append(loss)

    def append_data_histograms(self, step, weights):
        self.weights = np.vstack([self.weights, np.percentile(weights, [10, 50, 90])])

    def _update(self):
        self.ax1.set_xlim(0, max([*self.steps, 1]))
        self.ax1.set_ylim(0, 1)
        self.line1.set_data(self.steps, self.accuracies)
        for collection in list(self.ax2.collections):
            self.ax2.collections.remove(collection)
        if len(self.weights) > 1:
            x = np.arange(len(self.weights))
            self.ax2.fill_between(x, self.weights[:, 0], self.weights[:, 2], alpha=0.5)
        return self.line1, self.line2

    def animate(self, compute_step, iterations, train_data_update_freq=10):
        def animate_step(i):
            for k in range(train_data_update_freq):
                n = i * train_data_update_freq + k
                if n <= iterations:
                    compute_step(n, n % train_data_update_freq == 0)
            plt.pause(0.001)
            return self._update()

        frames = iterations // train_data_update_freq + 1
        self._animation = animation.FuncAnimation(
            self.fig, animate_step, frames, interval=16, repeat=False, blit=False
        )
        plt.show(block=True)
